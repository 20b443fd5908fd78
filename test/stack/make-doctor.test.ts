/**
 * `make doctor` without Docker reads `.env` as the README says: the source and keys ingest uses, with the paths
 * compose gives the containers (`/etc/smarty/…`, `/dev/smarty-p1`) turned into this checkout's and this host's.
 */
import { describe, expect, it } from "vitest";
import { doctorEnvironment } from "../../scripts/doctor-env.mjs";
import { repoPath } from "./helpers/repo.js";

const ENV_FILE = `# comment
SMARTY_SERIAL_DEVICE=/dev/serial/by-id/usb-FTDI-if00
#SMARTY_SOURCE=serial:///dev/smarty-p1
SMARTY_KEY_FILE=/etc/smarty/p1-key
MQTT_INGEST_PASSWORD="abc def"
`;

describe("make doctor (scripts/doctor-env.mjs)", () => {
  it("takes the key file from .env, in ./config/ingest, and the serial device compose would map", () => {
    const env = doctorEnvironment(ENV_FILE, {});
    expect(env.SMARTY_KEY_FILE).toBe(repoPath("config", "ingest", "p1-key"));
    expect(env.SMARTY_SOURCE).toBe("serial:///dev/serial/by-id/usb-FTDI-if00");
    expect(env.MQTT_INGEST_PASSWORD).toBe("abc def");
  });

  it("lets the environment win over .env, and works without a .env", () => {
    const env = doctorEnvironment(ENV_FILE, { SMARTY_SOURCE: "tcp://10.0.0.5:2323", SMARTY_KEY_FILE: "" });
    expect(env.SMARTY_SOURCE).toBe("tcp://10.0.0.5:2323");
    expect(env.SMARTY_KEY_FILE).toBe("");
    expect(doctorEnvironment(undefined, {}).SMARTY_SOURCE).toBe("serial:///dev/ttyUSB0");
    expect(doctorEnvironment("SMARTY_SOURCE=serial:///dev/smarty-p1\n", {}).SMARTY_SOURCE).toBe(
      "serial:///dev/ttyUSB0",
    );
  });
});
