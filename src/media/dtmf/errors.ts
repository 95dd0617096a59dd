import { HotlineError } from '../../platform/errors.js';

/** Stable codes of the DTMF processors (STYLE principle 9). */
export type DtmfErrorCode =
  /** A telephone-event payload is not 4 bytes, or a field is out of range on serialize. */
  | 'DTMF_INVALID_PAYLOAD'
  /** A caller passed a bad argument (unknown digit, duration out of range, bad option). */
  | 'DTMF_INVALID_ARGUMENT'
  /** A SIP INFO body whose Content-Type carries no DTMF we understand (answer 415). */
  | 'DTMF_INFO_UNSUPPORTED_TYPE'
  /** A SIP INFO DTMF body that cannot be read (answer 400). */
  | 'DTMF_INFO_MALFORMED';

/** SIP status a UAS should answer an INFO with when its body raised this code. */
const SIP_STATUS: Readonly<Partial<Record<DtmfErrorCode, number>>> = {
  DTMF_INFO_UNSUPPORTED_TYPE: 415,
  DTMF_INFO_MALFORMED: 400,
};

export class DtmfError extends HotlineError {
  /** For the INFO codes, the response status; undefined for programming errors. */
  readonly sipStatus: number | undefined;

  constructor(
    override readonly code: DtmfErrorCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
    this.name = 'DtmfError';
    this.sipStatus = SIP_STATUS[code];
  }
}
