/**
 * Writes under way, so that closing the store can let them finish: an accepted write is
 * not cut off mid-statement (DESIGN principle 5).
 */
export class RunningWrites {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const forget = (): void => void this.running.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Resolves once every write tracked so far has settled (whatever its outcome). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
