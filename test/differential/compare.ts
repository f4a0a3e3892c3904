/**
 * Normalises the two backends' responses (version ids, dates, request ids, ARN suffixes) into flat
 * `field → value` maps, compares them field by field, and renders the differential table.
 */

/** What one call gave: a response body, or the error's name (messages are never compared). */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

/** One compared field of one call. */
export interface Row {
  call: string;
  field: string;
  emulator: string;
  moto: string;
  /** `same`, the id of an expected moto quirk, or `NEW DIFFERENCE`. */
  verdict: string;
}

/** A difference we expect because moto 5.2 is wrong (the reference page says so). */
export interface Quirk {
  id: string;
  call: RegExp;
  field: RegExp;
  /** When given, moto's (normalised) value must match too. */
  moto?: RegExp;
  /** The AWS rule, in our own words, that says the emulator is right. */
  rule: string;
}

/** Shown for a field one side does not return. */
export const ABSENT = '(absent)';
/** Verdict of a difference no quirk explains. */
export const NEW_DIFFERENCE = 'NEW DIFFERENCE';

const DATE_FIELDS = new Set([
  'CreatedDate',
  'DeletedDate',
  'DeletionDate',
  'LastAccessedDate',
  'LastChangedDate',
  'LastRotatedDate',
  'NextRotationDate',
]);
/**
 * Fields left out of the comparison: the reference does not rule on `LastAccessedDate` (moto stamps
 * "now" on every version it lists; the emulator stamps the day of the last GetSecretValue).
 */
export const NOT_COMPARED = new Set(['LastAccessedDate']);
/**
 * List fields where an empty list reads as absent: the reference does not say whether a
 * ListSecretVersionIds entry of an unlabelled version carries `VersionStages: []` or none.
 */
const EMPTY_MEANS_ABSENT = new Set(['VersionStages']);
const ID_MAP_FIELDS = new Set(['VersionIdsToStages', 'SecretVersionsToStages']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ARN_SUFFIX = /^(arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:.+)-[A-Za-z0-9]{6}$/;

/** Maps the script's version ids to short names; any other id reads as `<unknown id>`. */
export type IdNames = ReadonlyMap<string, string>;

const DAY_MS = 86_400_000;

/** A date as whole days from now (`now`, `now+7d`, `now-1d`): both backends run the script at once. */
const normaliseDate = (value: number | Date): string => {
  const ms = value instanceof Date ? value.getTime() : value * 1000;
  const days = Math.round((ms - Date.now()) / DAY_MS);
  if (days === 0) return '<now>';
  return days > 0 ? `<now+${days}d>` : `<now${days}d>`;
};

const normaliseString = (value: string, ids: IdNames): string => {
  const known = ids.get(value);
  if (known !== undefined) return known;
  if (UUID.test(value)) return '<unknown id>';
  return value.replace(ARN_SUFFIX, '$1-<suffix>');
};

const display = (value: unknown, ids: IdNames): string => {
  if (typeof value === 'string') return JSON.stringify(normaliseString(value, ids));
  return JSON.stringify(value);
};

/** The path segment an array element is keyed by (tag key, version, secret name, else index). */
const elementKey = (element: unknown, index: number, ids: IdNames): string => {
  if (typeof element !== 'object' || element === null) return String(index);
  const record = element as Record<string, unknown>;
  for (const key of ['Key', 'VersionId', 'Name']) {
    const id = record[key];
    if (typeof id === 'string') return normaliseString(id, ids);
  }
  return String(index);
};

const flattenArray = (
  value: readonly unknown[],
  path: string,
  ids: IdNames,
  out: Map<string, string>
): void => {
  if (value.every((item) => typeof item !== 'object' || item === null)) {
    const items = value.map((item) => display(item, ids)).sort();
    out.set(path, `[${items.join(', ')}]`);
    return;
  }
  value.forEach((item, index) => {
    const key = elementKey(item, index, ids);
    const itemPath = `${path}[${key}]`;
    const record = item as Record<string, unknown>;
    if ('Key' in record && 'Value' in record) out.set(itemPath, display(record.Value, ids));
    else flattenInto(item, itemPath, ids, out);
  });
};

const flattenObject = (
  value: Record<string, unknown>,
  path: string,
  ids: IdNames,
  out: Map<string, string>
): void => {
  const idKeys = ID_MAP_FIELDS.has(path.split('.').pop() ?? '');
  for (const [key, member] of Object.entries(value)) {
    if (key === '$metadata' || member === undefined || NOT_COMPARED.has(key)) continue;
    if (EMPTY_MEANS_ABSENT.has(key) && Array.isArray(member) && member.length === 0) continue;
    const name = idKeys ? normaliseString(key, ids) : key;
    const memberPath = path === '' ? name : `${path}.${name}`;
    if (DATE_FIELDS.has(key) && (typeof member === 'number' || member instanceof Date)) {
      out.set(memberPath, normaliseDate(member));
    } else {
      flattenInto(member, memberPath, ids, out);
    }
  }
};

function flattenInto(value: unknown, path: string, ids: IdNames, out: Map<string, string>): void {
  if (Array.isArray(value)) flattenArray(value, path, ids, out);
  else if (value instanceof Date) out.set(path, normaliseDate(value));
  else if (typeof value === 'object' && value !== null) {
    flattenObject(value as Record<string, unknown>, path, ids, out);
  } else out.set(path, display(value, ids));
}

/** Flattens one outcome into `field → value`: `outcome` (ok / error name), then the fields when ok. */
export const flatten = (outcome: Outcome, ids: IdNames): Map<string, string> => {
  const out = new Map<string, string>();
  out.set('outcome', outcome.ok ? 'ok' : outcome.error);
  if (outcome.ok) flattenInto(outcome.value, '', ids, out);
  return out;
};

const quirkFor = (quirks: readonly Quirk[], row: Omit<Row, 'verdict'>): Quirk | undefined =>
  quirks.find(
    (quirk) =>
      quirk.call.test(row.call) &&
      quirk.field.test(row.field) &&
      (quirk.moto === undefined || quirk.moto.test(row.moto))
  );

/**
 * Compares one call's outcomes field by field. When either side failed only `outcome` is compared
 * (the other side's fields would all differ for the same reason).
 */
export const compareCall = (
  call: string,
  emulator: Outcome,
  moto: Outcome,
  ids: IdNames,
  quirks: readonly Quirk[]
): Row[] => {
  const left = flatten(emulator, ids);
  const right = flatten(moto, ids);
  const bothOk = emulator.ok && moto.ok;
  const fields = bothOk ? [...new Set([...left.keys(), ...right.keys()])] : ['outcome'];
  return fields.sort().map((field) => {
    const row = {
      call,
      field,
      emulator: left.get(field) ?? ABSENT,
      moto: right.get(field) ?? ABSENT,
    };
    if (row.emulator === row.moto) return { ...row, verdict: 'same' };
    return { ...row, verdict: quirkFor(quirks, row)?.id ?? NEW_DIFFERENCE };
  });
};

const escapeCell = (text: string): string => text.replaceAll('|', '\\|');

/** Renders rows as a Markdown table (call, field, emulator, moto, verdict). */
export const renderTable = (rows: readonly Row[]): string => {
  const lines = ['| call | field | emulator | moto | verdict |', '|---|---|---|---|---|'];
  for (const row of rows) {
    const cells = [row.call, row.field, row.emulator, row.moto, row.verdict].map(escapeCell);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
};
