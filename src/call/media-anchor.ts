import {
  audioOf,
  formatSdp,
  parseSdp,
  rewriteAudio,
  type EndpointInfo,
  type MediaRelay,
  type SessionDescription,
} from '../media/index.js';

/** Where the call layer gets relay endpoints; the media module's MediaRelay fits. */
export type MediaPort = Pick<
  MediaRelay,
  'createEndpoint' | 'setRemote' | 'connect' | 'echo' | 'close' | 'stats'
>;

export interface MediaAddress {
  readonly bindAddress: string;
  readonly advertisedAddress: string;
}

export type SdpResult = { ok: true; sdp: SessionDescription } | { ok: false; reason: string };

export function readSdp(body: Buffer): SdpResult {
  if (body.length === 0) return { ok: false, reason: 'no SDP offer' };
  const parsed = parseSdp(body.toString('utf8'));
  if (!parsed.ok) return { ok: false, reason: `bad SDP: ${parsed.reason}` };
  if (!audioOf(parsed.sdp)) return { ok: false, reason: 'no audio stream in SDP' };
  return { ok: true, sdp: parsed.sdp };
}

/**
 * One relay endpoint facing one party (DESIGN principle 2: the server anchors media).
 * The party's SDP tells the endpoint where to send; the SDP we show the *other* party
 * carries this endpoint's address instead.
 */
export class MediaAnchor {
  private closed = false;

  private constructor(
    private readonly media: MediaPort,
    readonly endpoint: EndpointInfo,
  ) {}

  static async open(media: MediaPort, addr: MediaAddress, near?: MediaAnchor): Promise<MediaAnchor> {
    const endpoint = await media.createEndpoint({
      bindAddress: addr.bindAddress,
      advertisedAddress: addr.advertisedAddress,
      ...(near ? { near: near.endpoint.id } : {}),
    });
    return new MediaAnchor(media, endpoint);
  }

  /** Points the endpoint at where the party's SDP says it receives audio. Held (0.0.0.0) streams keep the old remote. */
  async follow(sdp: SessionDescription): Promise<void> {
    const audio = audioOf(sdp);
    if (!audio || audio.disabled || audio.address === null) return;
    await this.media.setRemote(this.endpoint.id, {
      address: audio.address,
      port: audio.port,
      ...(audio.rtcpPort !== undefined ? { rtcpPort: audio.rtcpPort } : {}),
      ...(audio.rtcpAddress !== undefined ? { rtcpAddress: audio.rtcpAddress } : {}),
    });
  }

  /** The given SDP as this endpoint presents it: its audio address and port replaced by ours. */
  present(sdp: SessionDescription, bump = true): Buffer {
    const rewritten = rewriteAudio(sdp, {
      address: this.endpoint.address,
      port: this.endpoint.port,
      rtcpPort: this.endpoint.rtcpPort,
      sessionVersionBump: bump,
    });
    return Buffer.from(formatSdp(rewritten));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.media.close(this.endpoint.id);
  }
}
