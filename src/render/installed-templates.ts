/**
 * The templates this installation renders with: what create, add and update call.
 *
 * Start-up time (issue #6): loading ejs and compiling every template cost each run ~25 ms. So
 * scripts/build.mjs replaces THIS MODULE in the bundle with one generated at build time
 * (`precompiledTemplatesModule` in compile-templates.ts): the same export, returning every template
 * already compiled to a plain function. The published CLI thus neither loads ejs nor reads
 * templates/ (still shipped, as the readable source of what it generates).
 *
 * This version is what runs from src/ (tests, development): it compiles templates/ with ejs,
 * with the same options. test/render/precompiled.test.ts proves both render the same bytes.
 */
import { templatesDir } from '../paths.js';
import { loadTemplates } from './compile-templates.js';
import type { TemplateSet } from './templates.js';

export async function installedTemplates(): Promise<TemplateSet> {
  return loadTemplates(templatesDir());
}
