import { describe, expect, it } from 'vitest';
import { fileOf, render } from '../helpers/render.js';

describe('docker part for node', () => {
  it('renders a Dockerfile with pinned images and a numeric non-root user', async () => {
    const tree = await render({ language: 'node' }, ['docker', 'app']);
    const dockerfile = fileOf(tree, 'Dockerfile');
    expect(dockerfile).toMatch(/^ARG BUILD_IMAGE=node:\d+\.\d+\.\d+-alpine/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["node","src/server.js"]');
  });
});
