import { and, gt, isNull, lte, or, type Column } from 'drizzle-orm';

/**
 * SQL condition (for repositories): an effective-dated row holds on `date`,
 * i.e. `valid_from <= date < valid_to` with a null `valid_to` open-ended.
 */
export function inForce(from: Column, to: Column, date: string) {
  return and(lte(from, date), or(isNull(to), gt(to, date)));
}
