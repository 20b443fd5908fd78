/**
 * Readings from the pipeline into the publisher's queue, with flow control: a source that can wait (a capture file)
 * is paused while the queue is congested and resumed when it has room; a live source cannot wait, so it has no
 * pause and the queue drops its oldest instead. The one wiring of the ingest service and `smarty replay`.
 */
import type { Reading } from "@smarty/p1";

/** What of the ReadingPublisher the flow needs. */
export interface FlowPublisher {
  publish(reading: Reading): void;
  readonly queue: { readonly congested: boolean; on(event: "room", listener: () => void): unknown };
}

/** A source's flow control, when it has one (see ByteSource). */
export interface PausableSource {
  pause?(): void;
  resume?(): void;
}

/** The pipeline's `onReading` for this publisher and source. */
export function publishWithFlowControl(publisher: FlowPublisher, source: PausableSource): (reading: Reading) => void {
  publisher.queue.on("room", () => source.resume?.());
  return (reading) => {
    publisher.publish(reading);
    if (publisher.queue.congested) source.pause?.();
  };
}
