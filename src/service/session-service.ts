import type { TimestampOracle } from './catalog/timestamp-oracle.js';

const MAX_SESSIONS = 10_000;

export interface ClientInfo {
  sdkType: string;
  sdkVersion: string;
  user: string;
  host: string;
}

export interface ConnectedSession {
  identifier: string;
  client: ClientInfo;
  connectedAtMs: number;
}

/** Connect sessions: identifiers that clients echo in metadata, and the timestamp service. */
export class SessionService {
  private nextIdentifier: bigint;
  private readonly sessions = new Map<string, ConnectedSession>();

  constructor(
    private readonly tso: TimestampOracle,
    private readonly nowMs: () => number = Date.now,
  ) {
    // Start from the clock so identifiers from a restarted server do not repeat earlier ones.
    this.nextIdentifier = BigInt(nowMs()) * 1000n;
  }

  connect(client: ClientInfo): ConnectedSession {
    this.nextIdentifier += 1n;
    const session = { identifier: this.nextIdentifier.toString(), client, connectedAtMs: this.nowMs() };
    this.sessions.set(session.identifier, session);
    // Bounded memory: clients that reconnect in a loop must not grow the table forever.
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return session;
  }

  get connectedClients(): number {
    return this.sessions.size;
  }

  allocateTimestamp(): Promise<bigint> {
    return this.tso.allocate();
  }
}
