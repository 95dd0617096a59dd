import { HotlineError } from '../../platform/errors.js';

/** Stable codes for errors the transaction layer raises (STYLE principle 9). */
export type TransactionErrorCode =
  /** A state machine was given an event its current state does not accept (a caller bug). */
  | 'SIP_TXN_ILLEGAL_TRANSITION'
  /** `respond()` was given a status outside 100–699. */
  | 'SIP_TXN_BAD_STATUS'
  /** A request to send has no top Via with a branch, so no transaction can be keyed on it. */
  | 'SIP_TXN_NO_BRANCH'
  /** A client transaction with the same branch and method is already live. */
  | 'SIP_TXN_DUPLICATE_BRANCH'
  /** `sendRequest()` was given an ACK: an ACK for a 2xx is not a transaction (§17.1.1.3). */
  | 'SIP_TXN_ACK_NOT_TRANSACTION'
  /** The transaction layer has been closed. */
  | 'SIP_TXN_CLOSED';

const SIP_STATUS: Readonly<Record<TransactionErrorCode, number>> = {
  SIP_TXN_ILLEGAL_TRANSITION: 500,
  SIP_TXN_BAD_STATUS: 500,
  SIP_TXN_NO_BRANCH: 500,
  SIP_TXN_DUPLICATE_BRANCH: 500,
  SIP_TXN_ACK_NOT_TRANSACTION: 500,
  SIP_TXN_CLOSED: 503,
};

export class TransactionError extends HotlineError {
  /** The SIP status a TU would answer with if this error ended the request it was serving. */
  readonly sipStatus: number;

  constructor(
    override readonly code: TransactionErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'TransactionError';
    this.sipStatus = SIP_STATUS[code];
  }
}

export function illegalTransition(machine: string, state: string, event: string): TransactionError {
  return new TransactionError(
    'SIP_TXN_ILLEGAL_TRANSITION',
    `${machine}: event "${event}" is not allowed in state "${state}"`,
    { machine, state, event },
  );
}
