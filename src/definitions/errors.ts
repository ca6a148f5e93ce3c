// The error hierarchy: one root, one subclass per phase, so callers can tell bad input from failed work.

/** Brand shared by every copy of sluice in a process (src under tsx, dist in the CLI): class names, most derived first. */
const BRAND = Symbol.for('sluice.error');

function brandOf(value: unknown): readonly string[] | undefined {
  return typeof value === 'object' && value !== null ? (value as { [BRAND]?: string[] })[BRAND] : undefined;
}

/**
 * Root of every error sluice raises on purpose. `exitCode` is what the CLI exits with.
 * `instanceof` works across two loaded copies of sluice (user modules may import another one), because
 * it checks a Symbol.for brand rather than the prototype chain.
 */
export class SluiceError extends Error {
  readonly exitCode: number = 2;
  declare readonly [BRAND]: readonly string[];
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    const chain: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      chain.push((c as { name: string }).name);
    }
    Object.defineProperty(this, BRAND, { value: chain, enumerable: false });
  }

  // `this` is the class on the right of `instanceof`, which is exactly what must be compared.
  static override [Symbol.hasInstance](value: unknown): boolean {
    const brand = brandOf(value);
    // biome-ignore lint/complexity/noThisInStatic: the subclass being tested is only reachable as `this`
    return brand ? brand.includes(this.name) : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** Where a definition problem lives; every field is optional because not every error knows all three. */
export interface DefinitionLocation {
  file?: string | undefined;
  key?: string | undefined;
  pipeline?: string | undefined;
  field?: string | undefined;
}

/**
 * An asset, pipeline or config declaration is invalid. The message names the file, the asset key and
 * the field, e.g. `assets/x.ts: asset "a.b": retry.delay: must not be negative`.
 */
export class DefinitionError extends SluiceError {
  file: string | undefined;
  readonly key: string | undefined;
  readonly pipeline: string | undefined;
  readonly field: string | undefined;
  readonly detail: string;
  constructor(detail: string, where: DefinitionLocation = {}, options?: { cause?: unknown }) {
    super(formatLocated(detail, where), options);
    this.detail = detail;
    this.file = where.file;
    this.key = where.key;
    this.pipeline = where.pipeline;
    this.field = where.field;
  }
  /** The same error, now knowing which file it came from (the loader learns that after the fact). */
  inFile(file: string): DefinitionError {
    if (this.file) return this;
    return new DefinitionError(
      this.detail,
      { file, key: this.key, pipeline: this.pipeline, field: this.field },
      { cause: this.cause },
    );
  }
}

function formatLocated(detail: string, where: DefinitionLocation): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.key) parts.push(`asset "${where.key}"`);
  if (where.pipeline) parts.push(`pipeline "${where.pipeline}"`);
  if (where.field) parts.push(where.field);
  return parts.length > 0 ? `${parts.join(': ')}: ${detail}` : detail;
}

/** The lineage graph is invalid: a cycle (with its path), an unknown dep, a duplicate key. */
export class GraphError extends SluiceError {
  readonly cycle: readonly string[] | undefined;
  constructor(message: string, options?: { cycle?: readonly string[]; cause?: unknown }) {
    super(message, options);
    this.cycle = options?.cycle;
  }
}

/** A selection expression does not parse or matches nothing. */
export class SelectionError extends SluiceError {}

/** A producer failed while materializing an asset; wraps the user's error as `cause`. */
export class ProducerError extends SluiceError {
  override readonly exitCode: number = 1;
  readonly assetKey: string;
  readonly attempt: number;
  constructor(assetKey: string, attempt: number, message: string, options?: { cause?: unknown }) {
    super(`asset "${assetKey}" attempt ${attempt}: ${message}`, options);
    this.assetKey = assetKey;
    this.attempt = attempt;
  }
}

/** An export target cannot express a feature of an asset; never dropped silently. */
export class ExportError extends SluiceError {
  readonly target: string;
  readonly feature: string;
  readonly assetKey: string | undefined;
  constructor(target: string, feature: string, assetKey: string | undefined, message: string) {
    super(`export to ${target}: ${assetKey ? `asset "${assetKey}": ` : ''}${feature}: ${message}`);
    this.target = target;
    this.feature = feature;
    this.assetKey = assetKey;
  }
}

/**
 * Throw from a producer to fail the asset at once, whatever its retry policy says.
 * @example throw new NonRetriableError('schema mismatch in source table');
 */
export class NonRetriableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

/**
 * Throw from a producer to ask for the next attempt after a given delay (e.g. an API's Retry-After).
 * @example throw new RetryAfterError('rate limited', 30_000);
 */
export class RetryAfterError extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryAfterError';
    this.retryAfterMs = retryAfterMs;
  }
}
