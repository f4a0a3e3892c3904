/**
 * Lambda runtimes past (or near) their end of support, with the deprecation dates of the page
 * "AWS Lambda Developer Guide: Lambda runtimes". A rotation function on one of them may stop being
 * updatable, and AWS's rotation templates move on to newer runtimes.
 */

/** Deprecation dates (ISO, UTC) of runtimes a rotation function may still use. */
export const RUNTIME_DEPRECATIONS: Readonly<Record<string, string>> = {
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  java8: '2024-01-08',
  'go1.x': '2024-01-08',
  'ruby2.7': '2023-12-07',
  dotnet6: '2024-12-20',
  'dotnetcore3.1': '2023-04-03',
};

/** The runtime's deprecation date if it is on or before `now`; undefined otherwise. */
export const endOfSupport = (runtime: string | undefined, now: Date): string | undefined => {
  const date = runtime === undefined ? undefined : RUNTIME_DEPRECATIONS[runtime];
  return date !== undefined && Date.parse(`${date}T00:00:00Z`) <= now.getTime() ? date : undefined;
};
