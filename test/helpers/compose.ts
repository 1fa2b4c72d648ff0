/**
 * Compose files as Docker Compose reads them, for tests. The parser (with `!reset`/`!override`),
 * the merge Compose applies to `-f a.yaml -f b.yaml` and the C01-C11 rule checker live in
 * `src/check/` (the `check` command and create's gate use the same code); this helper adds the
 * vendored compose-spec JSON schema and reads the generator's answers as rule expectations.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { composeModelViolations, type ComposeExpectations } from '../../src/check/compose-rules.js';
import { readComposeFast, type Mapping, type Plain, type Yaml } from '../../src/check/compose-yaml.js';
import { readComposeWithLibrary } from '../../src/check/compose-yaml-library.js';
import { servicePins } from '../../src/pins.js';
import type { RenderContext } from '../../src/render/context.js';
import { repoRoot } from './render.js';

export { Override, Reset, untag, type Mapping, type Plain, type Yaml } from '../../src/check/compose-yaml.js';
export { bytesOf, environmentOf, hostIpOf, mergeCompose, mountOf, servicesOf } from '../../src/check/compose-merge.js';

/**
 * Parse one compose file; YAML errors and warnings (an unknown tag, a duplicate key) throw. What
 * readCompose does, synchronously: tests may load the `yaml` library up front.
 */
export function parseCompose(text: string, name = 'compose file'): Yaml {
  const parsed = readComposeFast(text) ?? readComposeWithLibrary(text);
  if (parsed.problems.length > 0) throw new Error(`${name}: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
  return parsed.value;
}

// ---------------------------------------------------------------------------------------------
// Schema

let validator: ValidateFunction | undefined;

/**
 * The vendored compose-spec schema (schemas/README.md). Its `$schema` is written
 * "https://json-schema.org/draft-07/schema", which Ajv does not know as draft-07's meta-schema
 * (`http://json-schema.org/draft-07/schema#`), so that one key is dropped; Ajv's default class
 * is the draft-07 validator. strictTypes is off because the upstream schema leaves `type` implicit
 * next to some keywords; unknown keywords still throw (strictSchema).
 */
export function composeSchema(): ValidateFunction {
  if (validator) return validator;
  const { $schema: _ignored, ...schema } = JSON.parse(readFileSync(resolve(repoRoot, 'schemas/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  validator = new Ajv({ allErrors: true, strictTypes: false }).compile(schema);
  return validator;
}

/** Schema errors as readable lines; empty when the document is valid. */
export function schemaErrors(document: Plain): string[] {
  const validate = composeSchema();
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// ---------------------------------------------------------------------------------------------
// The compose rules, with the answers as expectations

export interface RuleOptions {
  /** Bind mounts are allowed (C10: only in the development override, and read-only). */
  allowBindMounts: boolean;
}

/** What the answers asked for, in the rule checker's terms. */
export function expectationsOf(ctx: RenderContext): ComposeExpectations {
  return {
    app: ctx.a.name,
    backing: new Map(ctx.services.map((s) => [s.name as string, { secret: s.secret, image: servicePins[s.name] }])),
    networks: ctx.a.networks,
    appSecrets: ctx.a.secrets,
    cpu: ctx.a.cpu,
    memoryMiB: ctx.a.memory,
    uid: ctx.identity.uid,
    gid: ctx.identity.gid,
    probe: ctx.healthcheck.argv,
    needsInit: ctx.language.needsInit,
    languageLabel: ctx.language.label,
  };
}

/**
 * Every breach of C01-C11 (and D10's init) in a model, as "<rule> <service>: <what>" lines; an
 * empty list means the model passes. `ctx` says what the answers asked for.
 */
export function composeViolations(model: Mapping, ctx: RenderContext, options: RuleOptions): string[] {
  return composeModelViolations(model, { allowBindMounts: options.allowBindMounts, expect: expectationsOf(ctx) }).map((v) => `${v.rule} ${v.where}: ${v.what}`);
}
