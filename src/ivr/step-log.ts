import type { IvrStep, StepLog } from './types.js';

/** A StepLog that keeps steps in memory, for tests and the simulator. */
export class MemoryStepLog implements StepLog {
  readonly steps: IvrStep[] = [];

  write(step: IvrStep): void {
    this.steps.push(step);
  }

  /** The steps of one call, in order. */
  forCall(callId: string): IvrStep[] {
    return this.steps.filter((s) => s.callId === callId);
  }
}
