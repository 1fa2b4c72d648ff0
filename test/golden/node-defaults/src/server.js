// A minimal HTTP service: replace the handler with your own. It listens on all interfaces inside
// the container; compose publishes it on 127.0.0.1 only (C04).
import { createServer } from 'node:http';

const port = 3000;
const healthPath = "/healthz";

const server = createServer((req, res) => {
  if (req.url === healthPath) {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: "my-svc" }) + '\n');
});

server.listen(port, '0.0.0.0', () => console.log(`listening on ${port}`));

// Stop accepting connections and exit when the orchestrator asks (docker stop, nomad stop).
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
