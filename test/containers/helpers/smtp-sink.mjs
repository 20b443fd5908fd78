// SMTP sink for the container test, run inside a container on the compose network (node + the repository's
// smtp-server, mounted read-only): every accepted mail is written to /mail/<n>.eml for the test to read.
import { writeFileSync } from "node:fs";
import { SMTPServer } from "smtp-server";

let n = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  onData(stream, _session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      n += 1;
      writeFileSync(`/mail/${String(n).padStart(4, "0")}.eml`, Buffer.concat(chunks));
      callback();
    });
  },
});
server.listen(2525, "0.0.0.0", () => process.stdout.write("smtp sink listening on 2525\n"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
