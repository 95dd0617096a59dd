import type { Kysely } from 'kysely';
import type { Endpoint } from '../../sip/message/types.js';
import type { Binding } from '../../sip/registrar/types.js';
import type { StoreLifecycle } from '../core/state.js';
import {
  invalid,
  optionalString,
  requireIntIn,
  requireNonEmpty,
  requireOneOf,
  requireTime,
} from '../core/validate.js';
import { wrapQuery } from '../errors.js';
import { TRANSPORTS, type Database, type NewRegistrationRow, type RegistrationRow } from '../schema.js';
import type { RegistrationRepository } from '../types.js';

const WHAT = 'binding';
/** RFC 3261 §8.1.1.5: a CSeq sequence number is below 2**31. */
const MAX_CSEQ = 2 ** 31 - 1;

export function toRegistrationRow(b: Binding): NewRegistrationRow {
  const source: Partial<Endpoint> = b.source ?? {};
  if (b.q !== undefined && (typeof b.q !== 'number' || !(b.q >= 0 && b.q <= 1))) {
    throw invalid(WHAT, 'q', 'must be a number from 0 to 1');
  }
  return {
    aor: requireNonEmpty(WHAT, 'aor', b.aor),
    contact_uri: requireNonEmpty(WHAT, 'contactUri', b.contactUri),
    expires_at: requireTime(WHAT, 'expiresAt', b.expiresAt),
    call_id: requireNonEmpty(WHAT, 'callId', b.callId),
    cseq: requireIntIn(WHAT, 'cseq', b.cseq, 0, MAX_CSEQ),
    q: b.q ?? null,
    source_transport: requireOneOf(WHAT, 'source.transport', source.transport, TRANSPORTS),
    source_address: requireNonEmpty(WHAT, 'source.address', source.address),
    source_port: requireIntIn(WHAT, 'source.port', source.port, 0, 65535),
    source_connection_id: optionalString(WHAT, 'source.connectionId', source.connectionId),
    user_agent: optionalString(WHAT, 'userAgent', b.userAgent),
    instance_id: optionalString(WHAT, 'instanceId', b.instanceId),
    updated_at: requireTime(WHAT, 'updatedAt', b.updatedAt),
  };
}

/** NULL columns become absent keys, so a binding written without an option reads back without it. */
export function fromRegistrationRow(r: RegistrationRow): Binding {
  const source: Endpoint = {
    transport: r.source_transport,
    address: r.source_address,
    port: Number(r.source_port),
    ...(r.source_connection_id !== null && { connectionId: r.source_connection_id }),
  };
  return {
    aor: r.aor,
    contactUri: r.contact_uri,
    expiresAt: Number(r.expires_at),
    callId: r.call_id,
    cseq: Number(r.cseq),
    ...(r.q !== null && { q: Number(r.q) }),
    source,
    ...(r.user_agent !== null && { userAgent: r.user_agent }),
    ...(r.instance_id !== null && { instanceId: r.instance_id }),
    updatedAt: Number(r.updated_at),
  };
}

export function createRegistrationRepository(
  db: Kysely<Database>,
  lifecycle: StoreLifecycle,
): RegistrationRepository {
  return {
    async loadAll() {
      lifecycle.assertOpen();
      const rows = await wrapQuery(
        'loading registrations',
        db.selectFrom('registrations').selectAll().orderBy('aor').orderBy('contact_uri').execute(),
      );
      return rows.map(fromRegistrationRow);
    },

    async upsert(binding) {
      lifecycle.assertOpen();
      const row = toRegistrationRow(binding);
      await wrapQuery(
        `saving binding ${row.aor}`,
        db
          .insertInto('registrations')
          .values(row)
          // Same (aor, contact) refreshes the binding in place (RFC 3261 §10.3 step 8).
          .onConflict((oc) =>
            oc.columns(['aor', 'contact_uri']).doUpdateSet((eb) => ({
              expires_at: eb.ref('excluded.expires_at'),
              call_id: eb.ref('excluded.call_id'),
              cseq: eb.ref('excluded.cseq'),
              q: eb.ref('excluded.q'),
              source_transport: eb.ref('excluded.source_transport'),
              source_address: eb.ref('excluded.source_address'),
              source_port: eb.ref('excluded.source_port'),
              source_connection_id: eb.ref('excluded.source_connection_id'),
              user_agent: eb.ref('excluded.user_agent'),
              instance_id: eb.ref('excluded.instance_id'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute(),
      );
    },

    async remove(aor, contactUri) {
      lifecycle.assertOpen();
      await wrapQuery(
        `removing binding ${aor}`,
        db.deleteFrom('registrations').where('aor', '=', aor).where('contact_uri', '=', contactUri).execute(),
      );
    },

    async removeExpired(now) {
      lifecycle.assertOpen();
      requireTime('expiry sweep', 'now', now);
      const result = await wrapQuery(
        'removing expired registrations',
        db.deleteFrom('registrations').where('expires_at', '<=', now).executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },

    async count() {
      lifecycle.assertOpen();
      const row = await wrapQuery(
        'counting registrations',
        db
          .selectFrom('registrations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      );
      return Number(row.n);
    },
  };
}
