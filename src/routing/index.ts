/**
 * Routing: dial patterns, outbound routes and permission classes, schedules and holidays,
 * caller lists, number facts (号段/归属地) and inbound numbers. Pure decisions over plain
 * data; the only I/O is loading the number-facts tables (once, at start).
 */
export type { Destination, DestinationType, Lang, PromptSpec, SayKind, SkillRequirements } from './types.js';
export { RoutingError, type RoutingErrorCode } from './errors.js';
export {
  bestMatch,
  compilePattern,
  compilePrefix,
  compareSpecificity,
  matches,
  type CompiledPattern,
  type PatternElement,
  type PatternErrorCode,
  type PatternResult,
} from './pattern.js';
export {
  dayNumber,
  formatMinutes,
  parseDateEntry,
  parseTimeRange,
  MAX_RANGE_DAYS,
  type DateEntryResult,
  type IsoDate,
  type TimeRange,
  type TimeRangeResult,
} from './dates.js';
export {
  normalizeAreaCode,
  normalizeNumber,
  parseChineseNumber,
  type ChineseNumber,
  type ChineseNumberKind,
} from './numbering.js';
export {
  classifyNumber,
  compileRoutes,
  permits,
  routeOutbound,
  DEFAULT_EMERGENCY_NUMBERS,
  PERMISSION_CLASSES,
  type NumberCategory,
  type NumberClass,
  type NumberingOptions,
  type OutboundResult,
  type OutboundRoute,
  type PermissionClass,
} from './outbound.js';
export {
  chinaHolidayCalendar,
  chineseDaysData,
  NO_HOLIDAYS,
  type CalendarDay,
  type ChineseDaysData,
  type HolidayCalendar,
  type HolidayYearInput,
} from './holidays.js';
export {
  evaluateSchedule,
  hoursFor,
  localTimeAt,
  DEFAULT_TIME_ZONE,
  WEEKDAYS,
  type LocalTime,
  type Schedule,
  type ScheduleReason,
  type ScheduleState,
  type WeeklyHours,
  type Weekday,
} from './schedule.js';
export {
  findEntry,
  screenCaller,
  DEFAULT_REJECT_CAUSE,
  DEFAULT_VIP_PRIORITY,
  DEFAULT_WARNING_PROMPTS,
  type BlacklistEntry,
  type CallerLists,
  type CallerVerdict,
  type ListMatch,
  type ListName,
  type RegionRule,
  type VipEntry,
} from './lists.js';
export {
  carrierKey,
  cityKey,
  provinceKey,
  splitRegion,
  PROVINCES,
  type NumberFacts,
  type Province,
} from './region.js';
export {
  createNumberFacts,
  lookupNumber,
  preloadNumberFacts,
  withGeo,
  type NumberFactsOptions,
  type NumberFactsService,
} from './number-facts.js';
export {
  describeWithPackage,
  inProcessGeoSource,
  memoryGeoSource,
  workerGeoSource,
  type GeoAnswer,
  type GeoSource,
  type MemoryGeoSource,
  type MemoryGeoSourceOptions,
  type WorkerGeoSourceOptions,
} from './geo-source.js';
export { loadGeoTables, packageGeoDataFiles, type GeoDataFiles, type GeoDataInfo } from './geo-data.js';
export {
  findInboundNumber,
  routeInbound,
  type InboundDecision,
  type InboundNumber,
  type InboundReason,
  type InboundTable,
} from './inbound.js';
