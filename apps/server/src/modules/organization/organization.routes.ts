import {
  abolishUnitSchema,
  addMembershipSchema,
  changeUnitSchema,
  contractorSchema,
  createPersonSchema,
  createUnitSchema,
  endMembershipSchema,
  errorBodySchema,
  idParamSchema,
  informationSystemSchema,
  listPeopleQuerySchema,
  peoplePageSchema,
  personPageSchema,
  saveContractorSchema,
  saveInformationSystemSchema,
  unitPageSchema,
  unitScopeSchema,
  unitTreeQuerySchema,
  unitTreeSchema,
  updatePersonSchema,
} from '@mamori/contracts';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import {
  addMembership,
  contractorsList,
  createPerson,
  endPersonMembership,
  listPeople,
  personPage,
  saveContractor,
  updatePerson,
} from './people.service.js';
import { withOrg } from './route-context.js';
import { listSystemViews, saveSystem, systemView } from './systems.service.js';
import {
  abolishUnit,
  changeUnit,
  createUnit,
  setUnitScope,
  unitPage,
  unitTree,
} from './units.service.js';

const created = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
};
const tags = ['organization'];

/**
 * Units, people, contractors and information systems (module `organization`).
 * Routes stay thin: the guard authenticates and checks the permission; the
 * handler validates, opens the tenant transaction, authorizes per object
 * (organization.policy.ts) and calls the service.
 */
export function organizationRoutes(ctx: AppContext): FastifyPluginCallbackZod {
  return (app, _opts, done) => {
    // ── Units ───────────────────────────────────────────────────────────────
    app.get(
      '/api/organization/units',
      {
        schema: {
          tags,
          summary: 'The unit tree as of a date',
          querystring: unitTreeQuerySchema,
          response: { 200: unitTreeSchema, ...errors },
        },
        config: { permission: 'organization:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) =>
          unitTree(r.tx, r.pack, r.reach, request.query.asOf ?? r.today),
        ),
    );

    app.post(
      '/api/organization/units',
      {
        schema: {
          tags,
          summary: 'Create a unit',
          body: createUnitSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        const id = await withOrg(ctx, request, (r) =>
          createUnit(r.tx, r.actor, r.pack, request.body),
        );
        return reply.code(201).send({ id });
      },
    );

    app.get(
      '/api/organization/units/:id',
      {
        schema: {
          tags,
          summary: 'The unit page',
          params: idParamSchema,
          querystring: unitTreeQuerySchema,
          response: { 200: unitPageSchema, ...errors },
        },
        config: { permission: 'organization:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) =>
          unitPage(r.tx, r.pack, r.reach, request.params.id, request.query.asOf ?? r.today),
        ),
    );

    app.post(
      '/api/organization/units/:id/change',
      {
        schema: {
          tags,
          summary: 'Rename or move a unit from a date',
          params: idParamSchema,
          body: changeUnitSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          changeUnit(r.tx, r.actor, r.pack, request.params.id, request.body),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/organization/units/:id/scope',
      {
        schema: {
          tags,
          summary: 'Mark a unit out of (or back in) the policy scope (pol-4.1)',
          params: idParamSchema,
          body: unitScopeSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          setUnitScope(r.tx, r.actor, r.pack, request.params.id, request.body),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/organization/units/:id/abolish',
      {
        schema: {
          tags,
          summary: 'Abolish a unit from a date',
          params: idParamSchema,
          body: abolishUnitSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          abolishUnit(r.tx, r.actor, request.params.id, request.body),
        );
        return reply.code(204).send(null);
      },
    );

    // ── People ──────────────────────────────────────────────────────────────
    app.get(
      '/api/organization/people',
      {
        schema: {
          tags,
          summary: 'The staff directory (search by kana or kanji, sorted by 読み)',
          querystring: listPeopleQuerySchema,
          response: { 200: peoplePageSchema, ...errors },
        },
        config: { permission: 'organization:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) => listPeople(r.tx, r.pack, r.reach, request.query, r.today)),
    );

    app.post(
      '/api/organization/people',
      {
        schema: {
          tags,
          summary: 'Create a person',
          body: createPersonSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        const person = await withOrg(ctx, request, (r) =>
          createPerson(r.tx, r.actor, request.body),
        );
        return reply.code(201).send({ id: person.id });
      },
    );

    app.get(
      '/api/organization/people/:id',
      {
        schema: {
          tags,
          summary: 'The person page',
          params: idParamSchema,
          response: { 200: personPageSchema, ...errors },
        },
        config: { permission: 'organization:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) => personPage(r.tx, r.pack, r.reach, request.params.id, r.today)),
    );

    app.put(
      '/api/organization/people/:id',
      {
        schema: {
          tags,
          summary: "Update a person's names, contact and employment",
          params: idParamSchema,
          body: updatePersonSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          updatePerson(r.tx, r.actor, request.params.id, request.body),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/organization/people/:id/memberships',
      {
        schema: {
          tags,
          summary: 'Add a unit membership from a date (primary or 兼務)',
          params: idParamSchema,
          body: addMembershipSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        const m = await withOrg(ctx, request, (r) =>
          addMembership(r.tx, r.actor, request.params.id, request.body),
        );
        return reply.code(201).send({ id: m.id });
      },
    );

    app.post(
      '/api/organization/people/:id/memberships/:membershipId/end',
      {
        schema: {
          tags,
          summary: 'End a unit membership',
          params: z.object({ id: z.uuid(), membershipId: z.uuid() }),
          body: endMembershipSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          endPersonMembership(
            r.tx,
            r.actor,
            request.params.id,
            request.params.membershipId,
            request.body.validTo,
          ),
        );
        return reply.code(204).send(null);
      },
    );

    // ── Contractors ─────────────────────────────────────────────────────────
    app.get(
      '/api/organization/contractors',
      {
        schema: {
          tags,
          summary: 'Contractor organizations (外部委託事業者)',
          response: { 200: z.object({ items: z.array(contractorSchema) }), ...errors },
        },
        config: { permission: 'organization:read' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => ({ items: await contractorsList(r.tx, r.reach) })),
    );

    app.post(
      '/api/organization/contractors',
      {
        schema: {
          tags,
          summary: 'Register a contractor organization',
          body: saveContractorSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        const row = await withOrg(ctx, request, (r) => saveContractor(r.tx, r.actor, request.body));
        return reply.code(201).send({ id: row.id });
      },
    );

    app.put(
      '/api/organization/contractors/:id',
      {
        schema: {
          tags,
          summary: 'Rename a contractor organization',
          params: idParamSchema,
          body: saveContractorSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'organization:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          saveContractor(r.tx, r.actor, request.body, request.params.id),
        );
        return reply.code(204).send(null);
      },
    );

    // ── Information systems (minimal register) ──────────────────────────────
    app.get(
      '/api/organization/systems',
      {
        schema: {
          tags,
          summary: 'Information systems',
          response: { 200: z.object({ items: z.array(informationSystemSchema) }), ...errors },
        },
        config: { permission: 'information_system:read' },
      },
      (request) =>
        withOrg(ctx, request, async (r) => ({
          items: await listSystemViews(r.tx, r.reach, r.today),
        })),
    );

    app.get(
      '/api/organization/systems/:id',
      {
        schema: {
          tags,
          summary: 'One information system',
          params: idParamSchema,
          response: { 200: informationSystemSchema, ...errors },
        },
        config: { permission: 'information_system:read' },
      },
      (request) =>
        withOrg(ctx, request, (r) => systemView(r.tx, r.reach, request.params.id, r.today)),
    );

    app.post(
      '/api/organization/systems',
      {
        schema: {
          tags,
          summary: 'Register an information system',
          body: saveInformationSystemSchema,
          response: { 201: created, ...errors },
        },
        config: { permission: 'information_system:manage' },
      },
      async (request, reply) => {
        const row = await withOrg(ctx, request, (r) =>
          saveSystem(r.tx, r.actor, r.pack, request.body),
        );
        return reply.code(201).send({ id: row.id });
      },
    );

    app.put(
      '/api/organization/systems/:id',
      {
        schema: {
          tags,
          summary: 'Update an information system',
          params: idParamSchema,
          body: saveInformationSystemSchema,
          response: { 204: z.null(), ...errors },
        },
        config: { permission: 'information_system:manage' },
      },
      async (request, reply) => {
        await withOrg(ctx, request, (r) =>
          saveSystem(r.tx, r.actor, r.pack, request.body, request.params.id),
        );
        return reply.code(204).send(null);
      },
    );
    done();
  };
}
