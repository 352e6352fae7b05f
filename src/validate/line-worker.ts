/**
 * A validation worker thread (see line-pool.ts): checks batches of NDJSON lines with its own
 * FHIR R4 validator and sends back each result with the batch's bytes (transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { sharedFhirValidator } from './fhir-r4-schema.js';
import { checkBatch } from './line-batches.js';
import type { WorkerReply, WorkerRequest } from './line-pool.js';

const port = parentPort;
if (port === null) throw new Error('line-worker.js runs as a worker thread only');

port.on('message', (message: WorkerRequest) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (message.op === 'warm') {
      const fhir = sharedFhirValidator();
      for (const type of message.types) fhir.validatorFor(type);
      reply = { id: message.id, ok: true };
    } else {
      const batch = Buffer.from(message.bytes, 0, message.length);
      const result = checkBatch(batch, message.firstLine, message.spec, message.spec.fhir ? sharedFhirValidator() : undefined);
      reply = { id: message.id, ok: true, result, bytes: message.bytes };
      transfer.push(message.bytes, result.keyHi.buffer as ArrayBuffer, result.keyLo.buffer as ArrayBuffer, result.keyLine.buffer as ArrayBuffer);
    }
  } catch (e) {
    reply = { id: message.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply, transfer.filter((b) => b.byteLength > 0));
});
