import { buildSearchText, readingSortKey } from '@mamori/contracts';
import type { PersonFields } from './people.repository.js';

/** A person's own attributes as entered: the person form, a 採用 event or an HR import row. */
export interface PersonAttributes {
  readonly employeeNumber?: string | null;
  readonly familyName: string;
  readonly givenName: string;
  readonly familyNameKana: string;
  readonly givenNameKana: string;
  readonly email?: string | null;
  readonly employment: string;
  readonly contractorId?: string | null;
}

/** The stored person fields, with the 読み sort key and the folded search text. */
export function personFields(input: PersonAttributes): PersonFields {
  return {
    employeeNumber: input.employeeNumber ?? null,
    familyName: input.familyName,
    givenName: input.givenName,
    familyNameKana: input.familyNameKana,
    givenNameKana: input.givenNameKana,
    sortKey: readingSortKey(input.familyNameKana, input.givenNameKana),
    searchText: buildSearchText([
      `${input.familyName}${input.givenName}`,
      `${input.familyNameKana}${input.givenNameKana}`,
      input.employeeNumber,
      input.email,
    ]),
    email: input.email ?? null,
    employment: input.employment,
    contractorId: input.contractorId ?? null,
  };
}
