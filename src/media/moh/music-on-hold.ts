/**
 * Music-on-hold classes: a class name resolves to the WAV files of its folder.
 *
 *   select("sales") ─► sales has files? ─yes─► sales
 *                           │ no (folder missing, unreadable or without .wav)
 *                           ▼
 *                      defaultClass has files? ─yes─► defaultClass
 *                           │ no
 *                           ▼
 *                      the generated music (${dataDir}/moh/default) ─► or MOH_EMPTY_CLASS
 *
 * A caller on hold should never hear silence because a folder was emptied, so an empty
 * class falls back (with a warning at refresh time). A name that is not configured at all
 * is a mistake in whatever asked for it, so that is an error, not a fallback.
 *
 * Folders are read by `open` and `refresh`; `select` answers from that snapshot without
 * touching the disk, so it is cheap on the call path.
 */
import type { Logger } from '../../platform/log.js';
import { dataPath, DEFAULT_MOH_CLASS, type MusicOnHoldConfig } from '../../platform/config/index.js';
import { defaultMusicOnHoldDir, ensureDefaultMusicOnHold } from './default-class.js';
import { MohError } from './errors.js';
import { scanFolder, type FolderScan } from './folder.js';

export interface OpenMusicOnHoldOptions {
  /** The data directory: home of the generated class, and the base of relative class folders. */
  readonly dataDir: string;
  /** The `musicOnHold` configuration section; default: only the generated class. */
  readonly config?: Pick<MusicOnHoldConfig, 'classes' | 'defaultClass'>;
  readonly logger?: Logger;
  /** The generated default music's bytes; injected by tests. */
  readonly render?: () => Uint8Array;
  /** Reads a class folder; default scanFolder. Injected by tests. */
  readonly scan?: (folder: string) => Promise<FolderScan>;
}

/** The answer to "what does a caller of class X hear". */
export interface MusicOnHoldSelection {
  /** The class asked for (the default class when none was named). */
  readonly requested: string;
  /** The class whose files these are: `requested`, unless it fell back. */
  readonly className: string;
  readonly fellBack: boolean;
  /** Absolute paths of the WAV files, sorted by file name; never empty. */
  readonly files: readonly string[];
}

interface ClassState {
  readonly folder: string;
  readonly scan: FolderScan;
}

export class MusicOnHold {
  private readonly dataDir: string;
  private readonly folders: ReadonlyMap<string, string>;
  private readonly logger: Logger | undefined;
  private readonly render: (() => Uint8Array) | undefined;
  private readonly scan: (folder: string) => Promise<FolderScan>;
  /** The generated music's folder, the last resort of every fallback. */
  private readonly generated: string;
  private states: ReadonlyMap<string, ClassState> = new Map();
  private generatedScan: FolderScan = { files: [] };
  private refreshing: Promise<void> = Promise.resolve();
  readonly defaultClass: string;

  private constructor(opts: OpenMusicOnHoldOptions) {
    this.dataDir = opts.dataDir;
    this.generated = defaultMusicOnHoldDir(opts.dataDir);
    this.logger = opts.logger;
    this.render = opts.render;
    this.scan = opts.scan ?? scanFolder;
    const classes = opts.config?.classes ?? {};
    const folders = new Map<string, string>([[DEFAULT_MOH_CLASS, this.generated]]);
    for (const [name, folder] of Object.entries(classes)) folders.set(name, dataPath(opts.dataDir, folder));
    this.folders = folders;
    this.defaultClass = opts.config?.defaultClass ?? DEFAULT_MOH_CLASS;
    if (!folders.has(this.defaultClass)) throw unknownClass(this.defaultClass, [...folders.keys()]);
  }

  /** Writes the generated music if it is missing, then reads every class folder. */
  static async open(opts: OpenMusicOnHoldOptions): Promise<MusicOnHold> {
    const moh = new MusicOnHold(opts);
    await moh.refresh();
    return moh;
  }

  /** Every class name, `default` included, sorted. */
  get classNames(): readonly string[] {
    return [...this.folders.keys()].sort();
  }

  /**
   * Re-reads every class folder (and rewrites the generated music if it was deleted).
   * Calls made while one runs wait for it and then read again, so none misses a change.
   */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.readAll());
    // A failed refresh keeps the last snapshot; the next refresh starts afresh.
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /**
   * The files to play for `className` (default: the default class). Throws MOH_UNKNOWN_CLASS
   * for a name not configured, and MOH_EMPTY_CLASS when not even the generated music is there.
   */
  select(className: string = this.defaultClass): MusicOnHoldSelection {
    const state = this.states.get(className);
    if (state === undefined) throw unknownClass(className, this.classNames);
    if (state.scan.files.length > 0) {
      return { requested: className, className, fellBack: false, files: state.scan.files };
    }
    const fallback = this.states.get(this.defaultClass);
    if (fallback !== undefined && fallback.scan.files.length > 0) {
      return {
        requested: className,
        className: this.defaultClass,
        fellBack: true,
        files: fallback.scan.files,
      };
    }
    if (this.generatedScan.files.length > 0) {
      const files = this.generatedScan.files;
      return { requested: className, className: DEFAULT_MOH_CLASS, fellBack: true, files };
    }
    throw new MohError(
      'MOH_EMPTY_CLASS',
      `music-on-hold class "${className}" has no WAV file in ${state.folder} (${state.scan.problem ?? 'empty'}), ` +
        `and neither has the default class nor the generated music in ${this.generated}`,
      { className, folder: state.folder },
    );
  }

  /** Shorthand for `select(className).files`. */
  files(className?: string): readonly string[] {
    return this.select(className).files;
  }

  private async readAll(): Promise<void> {
    await ensureDefaultMusicOnHold(this.dataDir, {
      ...(this.render && { render: this.render }),
      ...(this.logger && { logger: this.logger }),
    });
    const states = new Map<string, ClassState>();
    for (const [name, folder] of this.folders) states.set(name, { folder, scan: await this.scan(folder) });
    const generatedScan =
      this.folders.get(DEFAULT_MOH_CLASS) === this.generated
        ? states.get(DEFAULT_MOH_CLASS)!.scan
        : await this.scan(this.generated);
    this.states = states;
    this.generatedScan = generatedScan;
    this.warnAboutEmptyClasses();
  }

  private warnAboutEmptyClasses(): void {
    for (const [name, state] of this.states) {
      if (state.scan.files.length > 0) continue;
      let heard: string;
      try {
        heard = `callers will hear class "${this.select(name).className}" instead`;
      } catch (err) {
        heard = `callers will hear nothing: ${(err as Error).message}`;
      }
      this.logger?.warn(
        { mohClass: name, folder: state.folder, problem: state.scan.problem },
        `music-on-hold class "${name}" has no WAV file in ${state.folder} (${state.scan.problem ?? 'empty'}); ${heard}`,
      );
    }
  }
}

function unknownClass(className: string, known: readonly string[]): MohError {
  return new MohError(
    'MOH_UNKNOWN_CLASS',
    `no music-on-hold class "${className}" (configured: ${known.join(', ')})`,
    { className, known },
  );
}
