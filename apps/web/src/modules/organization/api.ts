import {
  CSRF_HEADER,
  LOGIN_REQUEST_HEADER,
  orgImportPreviewSchema,
  orgImportStatusSchema,
  peoplePageSchema,
  personPageSchema,
  personnelEventListSchema,
  personnelEventSchema,
  reorganizationListSchema,
  reorganizationPreviewSchema,
  reorganizationSchema,
  roleHoldersSchema,
  roleOverviewSchema,
  delegationSchema,
  unitPageSchema,
  unitTreeSchema,
  type AbolishUnitInput,
  type AddMembershipInput,
  type AssignRoleInput,
  type ChangeUnitInput,
  type CreateDelegationInput,
  type CreatePersonnelEventInput,
  type CreateReorganizationInput,
  type CreateUnitInput,
  type EndRoleAssignmentInput,
  type OrgImportKind,
  type UnitScopeInput,
} from '@mamori/contracts';
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { z } from 'zod';
import {
  apiBasePath,
  apiGet,
  apiPath,
  apiSend,
  ApiError,
  sessionBridge,
  toApiError,
} from '../../api/client.js';
import { queryString } from '../operation-log/api.js';

/**
 * The organization API (apps/server/src/modules/organization/*.routes.ts), relative to /api.
 * Every path the pages use is here, so a route change is one edit.
 */
export const organizationPaths = {
  units: '/organization/units',
  unit: '/organization/units/:unitId',
  unitChanges: '/organization/units/:unitId/change',
  unitScope: '/organization/units/:unitId/scope',
  unitAbolish: '/organization/units/:unitId/abolish',
  people: '/organization/people',
  person: '/organization/people/:personId',
  personMemberships: '/organization/people/:personId/memberships',
  personnelEvents: '/organization/personnel-events',
  roleAssignments: '/organization/role-assignments',
  roleAssignmentEnd: '/organization/role-assignments/:assignmentId/end',
  roleOverview: '/organization/role-overview',
  roleHolders: '/organization/role-holders',
  delegations: '/organization/delegations',
  assignmentDelegations: '/organization/role-assignments/:assignmentId/delegations',
  delegationRevoke: '/organization/delegations/:delegationId/revoke',
  reorganizations: '/organization/reorganizations',
  reorganizationCancel: '/organization/reorganizations/:reorganizationId/cancel',
  reorganizationPreview: '/organization/reorganizations/:reorganizationId/preview',
  reorganizationApply: '/organization/reorganizations/:reorganizationId/apply',
  imports: '/organization/imports/:kind',
  importStatus: '/organization/imports/:importId',
  importApply: '/organization/imports/:importId/apply',
  exportFile: '/organization/exports/:kind',
} as const;

/** Query keys: everything under `['organization']` is refetched after a write. */
export const organizationKeys = {
  all: ['organization'] as const,
  tree: (asOf: string) => ['organization', 'tree', asOf] as const,
  unit: (unitId: string, asOf: string) => ['organization', 'unit', unitId, asOf] as const,
  people: (query: PeopleQuery) => ['organization', 'people', query] as const,
  person: (personId: string) => ['organization', 'person', personId] as const,
  personnelEvents: (personId: string) => ['organization', 'personnel-events', personId] as const,
  overview: (asOf: string) => ['organization', 'overview', asOf] as const,
  holders: (query: RoleHoldersQuery) => ['organization', 'holders', query] as const,
  delegations: (view: 'mine' | 'all') => ['organization', 'delegations', view] as const,
  reorganizations: ['organization', 'reorganizations'] as const,
  reorganizationPreview: (id: string) =>
    ['organization', 'reorganizations', id, 'preview'] as const,
  importStatus: (id: string) => ['organization', 'import', id] as const,
};

function invalidateOrganization(client: QueryClient) {
  return client.invalidateQueries({ queryKey: organizationKeys.all });
}

// ── Reads ──────────────────────────────────────────────────────────────────

/** The unit tree as of a date (flat; the page nests it). */
export function useUnitTree(asOf: string) {
  return useQuery({
    queryKey: organizationKeys.tree(asOf),
    queryFn: ({ signal }) =>
      apiGet(`${organizationPaths.units}${queryString({ asOf })}`, unitTreeSchema, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** A unit's page as of a date: history, members, role holders. */
export function useUnitPage(unitId: string, asOf: string, enabled = true) {
  return useQuery({
    enabled: enabled && unitId !== '',
    queryKey: organizationKeys.unit(unitId, asOf),
    queryFn: ({ signal }) =>
      apiGet(
        `${apiPath(organizationPaths.unit, { unitId })}${queryString({ asOf })}`,
        unitPageSchema,
        { signal },
      ),
  });
}

export interface PeopleQuery {
  readonly q?: string;
  readonly unitId?: string;
  readonly page: number;
  readonly pageSize: number;
}

/** People sorted by 読み; `q` matches kana or kanji partially (the server folds width and kana). */
export function usePeople(query: PeopleQuery, enabled = true) {
  return useQuery({
    queryKey: organizationKeys.people(query),
    queryFn: ({ signal }) =>
      apiGet(`${organizationPaths.people}${queryString({ ...query })}`, peoplePageSchema, {
        signal,
      }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function usePersonPage(personId: string) {
  return useQuery({
    queryKey: organizationKeys.person(personId),
    queryFn: ({ signal }) =>
      apiGet(apiPath(organizationPaths.person, { personId }), personPageSchema, { signal }),
  });
}

/** The personnel events (異動・退職・休職…) of a person, when the caller may see them. */
export function usePersonnelEvents(personId: string, enabled: boolean) {
  return useQuery({
    queryKey: organizationKeys.personnelEvents(personId),
    queryFn: ({ signal }) =>
      apiGet(
        `${organizationPaths.personnelEvents}${queryString({ personId })}`,
        personnelEventListSchema,
        { signal },
      ),
    enabled,
  });
}

export function useRoleOverview(asOf: string) {
  return useQuery({
    queryKey: organizationKeys.overview(asOf),
    queryFn: ({ signal }) =>
      apiGet(`${organizationPaths.roleOverview}${queryString({ asOf })}`, roleOverviewSchema, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export interface RoleHoldersQuery {
  readonly role: string;
  readonly scopeKind: 'tenant' | 'unit' | 'system';
  readonly unitId?: string;
  readonly systemId?: string;
  readonly date: string;
}

/** "Who held role R for scope S on date X". */
export function useRoleHolders(query: RoleHoldersQuery | null) {
  return useQuery({
    queryKey: organizationKeys.holders(query ?? { role: '', scopeKind: 'tenant', date: '' }),
    queryFn: ({ signal }) =>
      apiGet(
        `${organizationPaths.roleHolders}${queryString({ ...(query ?? {}) })}`,
        roleHoldersSchema,
        { signal },
      ),
    enabled: query !== null,
  });
}

export function useDelegations(view: 'mine' | 'all') {
  return useQuery({
    queryKey: organizationKeys.delegations(view),
    queryFn: ({ signal }) =>
      apiGet(`${organizationPaths.delegations}${queryString({ view })}`, delegationListSchema, {
        signal,
      }),
  });
}

const delegationListSchema = z
  .object({ items: z.array(delegationSchema) })
  .transform((value) => value.items);

export function useReorganizations() {
  return useQuery({
    queryKey: organizationKeys.reorganizations,
    queryFn: ({ signal }) =>
      apiGet(organizationPaths.reorganizations, reorganizationListSchema, { signal }),
  });
}

export function useReorganizationPreview(reorganizationId: string | null) {
  return useQuery({
    queryKey: organizationKeys.reorganizationPreview(reorganizationId ?? ''),
    queryFn: ({ signal }) =>
      apiGet(
        apiPath(organizationPaths.reorganizationPreview, {
          reorganizationId: reorganizationId ?? '',
        }),
        reorganizationPreviewSchema,
        { signal },
      ),
    enabled: reorganizationId !== null,
  });
}

/** The status of an import being applied, polled every second until it settles. */
export function useImportStatus(importId: string | null) {
  return useQuery({
    queryKey: organizationKeys.importStatus(importId ?? ''),
    queryFn: ({ signal }) =>
      apiGet(
        apiPath(organizationPaths.importStatus, { importId: importId ?? '' }),
        orgImportStatusSchema,
        { signal },
      ),
    enabled: importId !== null,
    refetchInterval: (query) =>
      query.state.data === undefined || query.state.data.state === 'applying' ? 1000 : false,
  });
}

// ── Writes ─────────────────────────────────────────────────────────────────

/** A mutation that refreshes every organization query when it succeeds. */
function useOrganizationWrite<I, O>(send: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => invalidateOrganization(client),
  });
}

export const useCreateUnit = () =>
  useOrganizationWrite((input: CreateUnitInput) =>
    apiSend('POST', organizationPaths.units, input, z.unknown()),
  );

export const useChangeUnit = (unitId: string) =>
  useOrganizationWrite((input: ChangeUnitInput) =>
    apiSend('POST', apiPath(organizationPaths.unitChanges, { unitId }), input, z.unknown()),
  );

export const useSetUnitScope = (unitId: string) =>
  useOrganizationWrite((input: UnitScopeInput) =>
    apiSend('POST', apiPath(organizationPaths.unitScope, { unitId }), input, z.unknown()),
  );

export const useAbolishUnit = (unitId: string) =>
  useOrganizationWrite((input: AbolishUnitInput) =>
    apiSend('POST', apiPath(organizationPaths.unitAbolish, { unitId }), input, z.unknown()),
  );

export const useAddMembership = () =>
  useOrganizationWrite(({ personId, ...input }: AddMembershipInput & { personId: string }) =>
    apiSend('POST', apiPath(organizationPaths.personMemberships, { personId }), input, z.unknown()),
  );

export const useAssignRole = () =>
  useOrganizationWrite((input: AssignRoleInput) =>
    apiSend('POST', organizationPaths.roleAssignments, input, z.unknown()),
  );

export const useEndRoleAssignment = () =>
  useOrganizationWrite(
    ({ assignmentId, ...input }: EndRoleAssignmentInput & { assignmentId: string }) =>
      apiSend(
        'POST',
        apiPath(organizationPaths.roleAssignmentEnd, { assignmentId }),
        input,
        z.unknown(),
      ),
  );

export const useCreateDelegation = () =>
  useOrganizationWrite(
    ({ assignmentId, ...input }: CreateDelegationInput & { assignmentId: string }) =>
      apiSend(
        'POST',
        apiPath(organizationPaths.assignmentDelegations, { assignmentId }),
        input,
        z.unknown(),
      ),
  );

export const useRevokeDelegation = () =>
  useOrganizationWrite(({ delegationId, reason }: { delegationId: string; reason: string }) =>
    apiSend(
      'POST',
      apiPath(organizationPaths.delegationRevoke, { delegationId }),
      { reason },
      z.unknown(),
    ),
  );

export const useRecordPersonnelEvent = () =>
  useOrganizationWrite((input: CreatePersonnelEventInput) =>
    apiSend(
      'POST',
      organizationPaths.personnelEvents,
      input,
      z.object({ event: personnelEventSchema }),
    ),
  );

export const useCreateReorganization = () =>
  useOrganizationWrite((input: CreateReorganizationInput) =>
    apiSend('POST', organizationPaths.reorganizations, input, reorganizationSchema),
  );

export const useApplyReorganization = () =>
  useOrganizationWrite((reorganizationId: string) =>
    apiSend(
      'POST',
      apiPath(organizationPaths.reorganizationApply, { reorganizationId }),
      {},
      z.unknown(),
    ),
  );

export const useCancelReorganization = () =>
  useOrganizationWrite((reorganizationId: string) =>
    apiSend(
      'POST',
      apiPath(organizationPaths.reorganizationCancel, { reorganizationId }),
      {},
      z.unknown(),
    ),
  );

/**
 * Uploads an HR file for the dry run. The body is the file itself (CSV or xlsx bytes, the
 * server detects the encoding); kind and file name travel in the query string. The JSON client
 * cannot send bytes, so this one request is made here with the same headers (CSRF) it uses.
 */
export async function uploadImportFile(kind: OrgImportKind, file: File) {
  const url = `${apiBasePath}${apiPath(organizationPaths.imports, { kind })}${queryString({
    fileName: file.name,
  })}`;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/octet-stream',
    [LOGIN_REQUEST_HEADER]: '1',
  };
  if (sessionBridge.csrfToken !== null) headers[CSRF_HEADER] = sessionBridge.csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: file,
    });
  } catch (error) {
    throw new ApiError('network_error', 0, undefined, undefined, { cause: error });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) throw toApiError(response.status, json);
  const parsed = orgImportPreviewSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('unexpected_response', response.status);
  return parsed.data;
}

export const useUploadImport = () =>
  useMutation({
    mutationFn: ({ kind, file }: { kind: OrgImportKind; file: File }) =>
      uploadImportFile(kind, file),
  });

export const useApplyImport = () =>
  useMutation({
    mutationFn: ({ importId, planDigest }: { importId: string; planDigest: string }) =>
      apiSend(
        'POST',
        apiPath(organizationPaths.importApply, { importId }),
        { planDigest },
        orgImportStatusSchema,
      ),
  });

/** The URL that downloads people or units (CSV UTF-8 BOM, CSV Shift_JIS or xlsx) as of a date. */
export function exportUrl(
  kind: OrgImportKind,
  format: 'csv' | 'xlsx',
  encoding: 'utf8-bom' | 'cp932',
  asOf: string,
): string {
  return `${apiBasePath}${apiPath(organizationPaths.exportFile, { kind })}${queryString({
    format,
    encoding: format === 'csv' ? encoding : undefined,
    asOf,
  })}`;
}
