// The image's HEALTHCHECK (D12): exits 0 when the service answers its health path, 1 otherwise.
// It uses Node itself, so the image needs no curl or wget.
import { get } from 'node:http';

const request = get({ host: '127.0.0.1', port: 3000, path: "/healthz", timeout: 2000 }, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', () => process.exit(1));
