import http from 'node:http';

/** Opens a Server-Sent Events stream on a listening test app and collects the `data` of events named `event`. */
export function listenSse<T>(port: number, token: string, path: string, event: string) {
  const events: T[] = [];
  let raw = '';
  const req = http.get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  const ready = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        let i;
        while ((i = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, i);
          raw = raw.slice(i + 2);
          if (block.split('\n').includes(`event: ${event}`))
            events.push(
              JSON.parse(
                block
                  .split('\n')
                  .find((l) => l.startsWith('data: '))!
                  .slice(6),
              ) as T,
            );
        }
      });
      resolve(res.statusCode!);
    });
    req.on('error', reject);
  });
  return { events, ready, close: () => req.destroy() };
}

/** Polls until `pred` holds, failing after `ms`. */
export async function waitFor(pred: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
