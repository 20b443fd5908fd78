/**
 * TLS policy of the bot: TLS is required (RFC 6120 §5 STARTTLS on xmpp://, XEP-0368 direct TLS on xmpps://),
 * certificates are verified against the XMPP domain (RFC 6120 §13.7.2.1), and a custom CA can be trusted.
 *
 * What @xmpp/client 0.14 allows (read from node_modules/@xmpp/*):
 * - @xmpp/starttls upgrades with `tls.connect({socket, host: domain})` and takes no `ca`; the only ways to trust a
 *   private CA there are process-wide: NODE_EXTRA_CA_CERTS (read once at process start) or, on Node ≥ 22.19 /
 *   24.5, `tls.setDefaultCACertificates`.
 * - Direct TLS connects through the transport class in `client.transports`, whose `socketParameters()` result is
 *   handed to `tls.connect`; a subclass can add `ca` and `servername`, so XMPP_CA_FILE works there on every Node.
 * - The SASL `credentials` callback receives the entity before any secret is sent; `entity.isSecure()` tells
 *   whether TLS is up, so the bot can refuse to authenticate over a plaintext stream (e.g. STARTTLS stripped).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as nodeTls from "node:tls";
import { ConfigError } from "@smarty/service-kit";
import type { Client } from "@xmpp/client";
import { xml } from "@xmpp/client";

export class InsecureStreamError extends Error {
  constructor() {
    super(
      "refusing to log in: the server offered no TLS on this stream (STARTTLS missing or stripped); the password " +
        "was not sent. Enable TLS on the server or use xmpps:// for direct TLS",
    );
    this.name = "InsecureStreamError";
  }
}

export interface TlsApi {
  readonly setDefaultCACertificates?: (certs: string[]) => void;
  readonly getCACertificates?: (type?: string) => string[];
}

/** Reads XMPP_CA_FILE and checks it holds a PEM certificate. @throws ConfigError */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError([`XMPP_CA_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new ConfigError([`XMPP_CA_FILE: ${path} holds no PEM certificate`]);
  }
  return pem;
}

/**
 * Makes a CA trusted for STARTTLS, where @xmpp/starttls offers no per-connection option: adds it to Node's
 * default CA list when the runtime can, accepts it when NODE_EXTRA_CA_CERTS already names the same file.
 * @returns how the CA is trusted, for the start-up log.
 * @throws ConfigError when neither is possible (older Node without NODE_EXTRA_CA_CERTS).
 */
export function trustCaForStartTls(
  caFile: string,
  pem: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  api: TlsApi = nodeTls as unknown as TlsApi,
): "default-ca-list" | "node-extra-ca-certs" {
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra && resolve(extra) === resolve(caFile)) return "node-extra-ca-certs";
  if (api.setDefaultCACertificates && api.getCACertificates) {
    api.setDefaultCACertificates([...api.getCACertificates("default"), pem]);
    return "default-ca-list";
  }
  throw new ConfigError([
    `XMPP_CA_FILE: this Node (${process.version}) cannot add a CA for STARTTLS at run time; set ` +
      `NODE_EXTRA_CA_CERTS=${caFile} in the environment instead (read at start), or use xmpps:// (direct TLS)`,
  ]);
}

type Transport = Client["transports"][number];
type SocketParameters = (service: string) => Record<string, unknown> | undefined;

/**
 * Replaces the client's direct-TLS transport by one that verifies the certificate against `servername` (the XMPP
 * domain, also when the service URL names an IP address) and, when given, trusts only `ca`.
 */
export function useDirectTlsOptions(client: Client, servername: string, ca: string | undefined): void {
  const index = client.transports.findIndex((T) => {
    try {
      return (T.prototype.socketParameters as SocketParameters)("xmpps://probe:5223") !== undefined;
    } catch {
      return false;
    }
  });
  const Base = client.transports[index] as
    | (new (
        ...args: never[]
      ) => { socketParameters(service: string): Record<string, unknown> | undefined })
    | undefined;
  if (!Base) throw new Error("@xmpp/client has no direct TLS transport");
  class DirectTls extends Base {
    override socketParameters(service: string) {
      const params = super.socketParameters(service);
      return params && { ...params, servername, ...(ca ? { ca: [ca] } : {}) };
    }
  }
  client.transports[index] = DirectTls as unknown as Transport;
}

/**
 * SASL credentials callback that authenticates only over TLS. The check runs after stream negotiation and
 * before the first SASL byte, so a server (or attacker) offering no STARTTLS never sees the password.
 */
export function tlsOnlyCredentials(username: string, password: string) {
  // XEP-0388 §6.3: a stable id per installation would be better; one per process is enough without SASL2 tokens.
  const userAgent = xml("user-agent", { id: randomUUID() });
  return async (
    authenticate: (
      credentials: { username: string; password: string },
      mechanism: string,
      userAgent: ReturnType<typeof xml>,
    ) => Promise<void>,
    mechanisms: string[],
    _fast: unknown,
    entity: { isSecure(): boolean },
  ): Promise<void> => {
    if (!entity.isSecure()) throw new InsecureStreamError();
    // Strongest first (SCRAM-SHA-1, then PLAIN, safe inside TLS); never ANONYMOUS, which would log in as nobody.
    const mechanism = mechanisms.find((m) => m !== "ANONYMOUS");
    if (!mechanism) throw new Error("the server offers no SASL mechanism for a password login");
    await authenticate({ username, password }, mechanism, userAgent);
  };
}
