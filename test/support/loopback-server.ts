import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface LoopbackAnswer {
  readonly status: number;
  readonly body?: string;
  /** Keep the request unanswered until `release()`: a destination that does not answer, for as long as the test says. */
  readonly hold?: boolean;
}

export interface LoopbackServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** How many requests have been answered so far. */
  answered(): number;
  /** Resolves with the first held request whose client gave up on it (closed the connection) before it was answered. */
  abandoned(): Promise<ReceivedRequest>;
  /** Answers every held request. */
  release(): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a free port) that records every request and answers with `respond`. */
export async function loopbackServer(respond: (request: ReceivedRequest, index: number) => LoopbackAnswer): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  const held: Array<() => void> = [];
  let answered = 0;
  let released = false;
  let giveUp: (request: ReceivedRequest) => void = () => {};
  const abandoned = new Promise<ReceivedRequest>((resolve) => (giveUp = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      const answer = respond(request, requests.length - 1);
      const send = () => {
        if (res.writableEnded || res.destroyed) return;
        answered++;
        res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body ?? "");
      };
      if (!answer.hold || released) return send();
      held.push(send);
      // The client hung up while the answer was held back: it gave up waiting.
      res.on("close", () => {
        if (!res.writableEnded) giveUp(request);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answered: () => answered,
    abandoned: () => abandoned,
    release: () => {
      released = true;
      held.splice(0).forEach((send) => send());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
