/**
 * 归属地: the province and city of a Chinese number as the geocoding data writes them
 * (`北京市`, `江苏省常州市`, `广西南宁市`, `内蒙古呼和浩特市`, `西藏日喀则地区、仲巴县`), split
 * into an official province name and a city; and the keys that let an operator's rule say
 * `广西`, `广西壮族自治区` or `北京` and still match.
 */

/** 号段/归属地 facts of a number. */
export interface NumberFacts {
  readonly kind: 'mobile' | 'fixed' | 'service' | 'unknown';
  /** The number in normalised national form (normalizeNumber). */
  readonly number: string;
  /** Official name: `广东省`, `北京市`, `广西壮族自治区`. */
  readonly province?: string;
  /** `广州市`; for the four municipalities the same as the province. */
  readonly city?: string;
  /** Original carrier of the number block: `中国移动`, `中国联通`, `中国电信`, `中国广电`. */
  readonly carrier?: string;
  /** Fixed numbers: the area code with its 0 (`020`). */
  readonly areaCode?: string;
  /** The geocoder's text as given, when it had one. */
  readonly region?: string;
}

export interface Province {
  readonly name: string;
  /** The short name used in the data and in speech: 广西, 北京. */
  readonly short: string;
  readonly municipality?: boolean;
}

const MUNICIPALITIES = ['北京', '天津', '上海', '重庆'];
const PROVINCES_SHENG = [
  ...'河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南'.split(' '),
  ...'湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾'.split(' '),
];
const AUTONOMOUS: Readonly<Record<string, string>> = {
  内蒙古: '内蒙古自治区',
  广西: '广西壮族自治区',
  西藏: '西藏自治区',
  宁夏: '宁夏回族自治区',
  新疆: '新疆维吾尔自治区',
};
const SPECIAL: Readonly<Record<string, string>> = { 香港: '香港特别行政区', 澳门: '澳门特别行政区' };

/** The 34 provincial-level divisions. */
export const PROVINCES: readonly Province[] = [
  ...MUNICIPALITIES.map((short) => ({ name: `${short}市`, short, municipality: true })),
  ...PROVINCES_SHENG.map((short) => ({ name: `${short}省`, short })),
  ...Object.entries(AUTONOMOUS).map(([short, name]) => ({ name, short })),
  ...Object.entries(SPECIAL).map(([short, name]) => ({ name, short })),
];

/** Longest written form first, so `广西壮族自治区南宁市` is not read as `广西` + `壮族自治区南宁市`. */
const FORMS = PROVINCES.flatMap((p) => [
  { text: p.name, province: p },
  { text: p.short, province: p },
]).sort((a, b) => b.text.length - a.text.length);

/** Splits the geocoder's text into province and city; text it cannot place gives neither. */
export function splitRegion(text: string): { province?: string; city?: string } {
  const clean = text.trim();
  const form = FORMS.find((f) => clean.startsWith(f.text));
  if (form === undefined) return {};
  const { province } = form;
  if (province.municipality) return { province: province.name, city: province.name };
  // "日喀则地区、仲巴县": the first named place is the prefecture.
  const city = clean.slice(form.text.length).split('、')[0]?.trim() ?? '';
  return city === '' ? { province: province.name } : { province: province.name, city };
}

/** `广西`, `广西壮族自治区` and `广西省` (a common slip) all give `广西`. */
export function provinceKey(name: string): string {
  const clean = name.trim();
  const form = FORMS.find((f) => clean.startsWith(f.text));
  return form !== undefined ? form.province.short : clean;
}

/** `广州` and `广州市` both give `广州`; prefectures keep their 地区/盟/自治州. */
export function cityKey(name: string): string {
  const clean = name.trim();
  return clean.length > 2 && clean.endsWith('市') ? clean.slice(0, -1) : clean;
}

/** `移动` and `中国移动` both give `移动`. */
export function carrierKey(name: string): string {
  const clean = name.trim();
  return clean.startsWith('中国') ? clean.slice(2) : clean;
}
