/**
 * docker-compose (Debian's 1.29) on the committed docker-compose.yml, unchanged, with a project name of its own, a
 * `.env` made the way `make env` makes it and a test-only override file (the SMTP sink, the notifier's mail
 * settings and key folder). Builds use the legacy builder: the docker CLI here has no buildx.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { findBinary } from "@smarty/testkit";

const run = promisify(execFile);

export interface ContainerState {
  readonly name: string;
  readonly service: string;
  readonly id: string;
  readonly status: string;
  readonly health: string | undefined;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly user: string;
  readonly readOnly: boolean;
  readonly capDrop: readonly string[];
  readonly capAdd: readonly string[];
  readonly memoryLimit: number;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export class ComposeProject {
  private readonly compose = findBinary("docker-compose");
  private readonly docker = findBinary("docker");

  constructor(
    readonly name: string,
    private readonly root: string,
    private readonly envFile: string,
    private readonly override: string,
    private readonly profiles: readonly string[],
  ) {}

  /** Runs docker-compose with this project's files; resolves with stdout, rejects with stderr. */
  async run(args: readonly string[], timeoutMs = 20 * 60_000): Promise<string> {
    const files = ["-f", `${this.root}/docker-compose.yml`, "-f", this.override];
    const profiles = this.profiles.flatMap((p) => ["--profile", p]);
    const all = ["--project-directory", this.root, "-p", this.name, "--env-file", this.envFile, ...files];
    try {
      const { stdout } = await run(this.compose, [...all, ...profiles, ...args], {
        cwd: this.root,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, DOCKER_BUILDKIT: "0", COMPOSE_DOCKER_CLI_BUILD: "0" },
      });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`docker-compose ${args.join(" ")} failed: ${e.stderr || e.message}`.slice(0, 8000), {
        cause: err,
      });
    }
  }

  async docker$(args: readonly string[], timeoutMs = 60_000): Promise<string> {
    const { stdout } = await run(this.docker, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  }

  /** Every container of the project, running or not. */
  async containers(): Promise<ContainerState[]> {
    const ids = (await this.docker$(["ps", "-aq", "--filter", `label=com.docker.compose.project=${this.name}`]))
      .split("\n")
      .filter(Boolean);
    if (ids.length === 0) return [];
    const raw = JSON.parse(await this.docker$(["inspect", ...ids])) as Inspect[];
    return raw.map((c) => ({
      name: c.Name.replace(/^\//, ""),
      service: c.Config.Labels["com.docker.compose.service"] ?? "",
      id: c.Id,
      status: c.State.Status,
      health: c.State.Health?.Status,
      exitCode: c.State.ExitCode,
      oomKilled: c.State.OOMKilled,
      user: c.Config.User,
      readOnly: c.HostConfig.ReadonlyRootfs,
      capDrop: c.HostConfig.CapDrop ?? [],
      capAdd: c.HostConfig.CapAdd ?? [],
      memoryLimit: c.HostConfig.Memory,
      startedAt: c.State.StartedAt,
      finishedAt: c.State.FinishedAt,
    }));
  }

  async container(service: string): Promise<ContainerState> {
    const found = (await this.containers()).find((c) => c.service === service);
    if (!found) throw new Error(`no container for service ${service}`);
    return found;
  }

  /** Runs a command inside a service's running container. */
  exec(service: string, command: readonly string[]): Promise<string> {
    return this.container(service).then((c) => this.docker$(["exec", c.id, ...command]));
  }

  /** `docker stats` of every running container: memory used in bytes. */
  async memory(): Promise<Map<string, number>> {
    const ids = (await this.containers()).filter((c) => c.status === "running");
    const out = await this.docker$([
      "stats",
      "--no-stream",
      "--format",
      "{{.ID}} {{.MemUsage}}",
      ...ids.map((c) => c.id),
    ]);
    const byId = new Map(ids.map((c) => [c.id.slice(0, 12), c.service]));
    const result = new Map<string, number>();
    for (const line of out.split("\n").filter(Boolean)) {
      const [id, usage] = [line.slice(0, 12), line.slice(13).split(" / ")[0] ?? ""];
      result.set(byId.get(id) ?? id, parseSize(usage));
    }
    return result;
  }
}

/** "12.5MiB" → bytes. */
export function parseSize(text: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const unit = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  return Number(m[1]) * (unit[m[2] as keyof typeof unit] ?? Number.NaN);
}

interface Inspect {
  Id: string;
  Name: string;
  Config: { User: string; Labels: Record<string, string> };
  State: {
    Status: string;
    ExitCode: number;
    OOMKilled: boolean;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: string };
  };
  HostConfig: { ReadonlyRootfs: boolean; CapDrop: string[] | null; CapAdd: string[] | null; Memory: number };
}
