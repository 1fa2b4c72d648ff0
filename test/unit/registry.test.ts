import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languageIds, languages, versionsOf, basesOf } from '../../src/languages.js';
import { parts } from '../../src/parts/index.js';
import { languagePins } from '../../src/pins.js';
import { questions } from '../../src/questions.js';
import { templatesRoot } from '../helpers/render.js';

describe('registries stay consistent with the template folders', () => {
  it('every template folder is owned by a registered part', () => {
    const folders = readdirSync(templatesRoot, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const owned = new Set(parts.map((p) => p.templateDir));
    expect(folders.filter((f) => !owned.has(f))).toEqual([]);
    expect([...owned].filter((o) => !folders.includes(o))).toEqual([]);
  });

  it('every language has a row, pins, a default version among them, and a template folder', () => {
    const folders = readdirSync(`${templatesRoot}/languages`);
    expect(folders.sort()).toEqual([...languageIds].sort());
    expect(languages.map((l) => l.id)).toEqual([...languageIds]);
    for (const l of languages) {
      expect(versionsOf(l.id)).toContain(l.defaultVersion);
      expect(basesOf(l.id, l.defaultVersion).length).toBeGreaterThan(0);
      for (const [version, pins] of Object.entries(languagePins[l.id])) {
        for (const base of Object.keys(pins.runtime)) expect(pins.build[base as keyof typeof pins.build], `${l.id} ${version} ${base} builder`).toBeTruthy();
      }
    }
  });

  it('no pinned image uses latest or lacks a tag', () => {
    const images = Object.values(languagePins).flatMap((byVersion) => Object.values(byVersion).flatMap((p) => [...Object.values(p.build), ...Object.values(p.runtime)]));
    for (const image of images) {
      if (image === 'scratch') continue;
      expect(image, image).toMatch(/^[^:]+(:[^:@]+)$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('each question has a unique key and flag', () => {
    expect(new Set(questions.map((q) => q.key)).size).toBe(questions.length);
    expect(new Set(questions.map((q) => q.flag)).size).toBe(questions.length);
  });
});
