import { EventEmitter } from "node:events";
import type { Reading } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { publishWithFlowControl } from "../../src/publish/flow.js";

class FakeQueue extends EventEmitter<{ room: [] }> {
  congested = false;
}

function fakePublisher() {
  const published: Reading[] = [];
  const queue = new FakeQueue();
  return { published, queue, publish: (r: Reading) => void published.push(r) };
}

const reading = (n: number) => ({ meter_id: `M${n}` }) as Reading;

describe("readings into the publisher with flow control", () => {
  it("publishes every reading, pauses a source that can wait while the queue is congested, resumes it on room", () => {
    const publisher = fakePublisher();
    const calls: string[] = [];
    const onReading = publishWithFlowControl(publisher, {
      pause: () => calls.push("pause"),
      resume: () => calls.push("resume"),
    });
    onReading(reading(1));
    expect(calls).toEqual([]);
    publisher.queue.congested = true;
    onReading(reading(2));
    expect(calls).toEqual(["pause"]);
    publisher.queue.emit("room");
    expect(calls).toEqual(["pause", "resume"]);
    expect(publisher.published.map((r) => r.meter_id)).toEqual(["M1", "M2"]);
  });

  it("keeps publishing from a live source that cannot wait (no pause, no resume)", () => {
    const publisher = fakePublisher();
    publisher.queue.congested = true;
    const onReading = publishWithFlowControl(publisher, {});
    onReading(reading(1));
    publisher.queue.emit("room");
    expect(publisher.published).toHaveLength(1);
  });
});
