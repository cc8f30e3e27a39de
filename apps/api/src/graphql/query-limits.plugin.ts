import {
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestListener,
  type GraphQLServerContext,
  HeaderMap,
} from '@apollo/server';
import {
  defaultFieldResolver,
  GraphQLError,
  GraphQLObjectType,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { apiError } from './api-errors';
import { estimateCost } from './query-cost';
import { QUERY_LIMITS } from './query-limits';

/** A refusal before execution: BAD_USER_INPUT answered with HTTP 400 (the contract's rule), never 500. */
export function refusedBeforeExecution(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400, headers: new HeaderMap() } },
  });
}

/**
 * The operations (parsed documents, which Apollo keeps and hands out again for
 * the same query text) found within the limits whatever their variables and
 * whenever asked (CostEstimate.sameForEveryRequest): a repeated query is not
 * priced again. A WeakMap, so it holds no document Apollo has dropped.
 */
export class AcceptedOperations {
  private readonly accepted = new WeakMap<OperationDefinitionNode, GraphQLSchema>();

  has(operation: OperationDefinitionNode, schema: GraphQLSchema): boolean {
    return this.accepted.get(operation) === schema;
  }

  add(operation: OperationDefinitionNode, schema: GraphQLSchema): void {
    this.accepted.set(operation, schema);
  }
}

/**
 * Prices the operation (query-cost.ts) once its document is valid and before
 * any resolver runs: over the root-field cap or the cost limit it is refused,
 * with the figure and the limit.
 */
export function costLimitRule(
  now: () => number = Date.now,
  accepted: AcceptedOperations = new AcceptedOperations(),
): RequestRule {
  // One listener for every request: it keeps nothing of its own between hooks.
  const listener: GraphQLRequestListener<BaseContext> = {
    async didResolveOperation({ request, document, operation, contextValue, schema }) {
      if (!operation) return;
      // Subscriptions are served over graphql-ws, which does not pass through here; over HTTP there is nothing to run.
      if (operation.operation === 'subscription') {
        throw refusedBeforeExecution(
          apiError('BAD_USER_INPUT', 'Subscribe over graphql-ws (ws://…/graphql), not HTTP'),
        );
      }
      // Priced before and within the limits for any variables at any time: nothing to refuse. (Variables that do
      // not coerce would have returned below without a refusal too; Apollo refuses them.)
      if (accepted.has(operation, schema)) return;
      // Variables that do not coerce are Apollo's to refuse (BAD_USER_INPUT, HTTP 400) before execution;
      // the estimate is made only from values that do.
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
        maxErrors: 1,
      });
      if (coerced.errors) return;
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
      }
      let estimate;
      try {
        estimate = estimateCost({
          schema,
          operation,
          fragments,
          variables: coerced.coerced,
          now: requestNow(contextValue) ?? now(),
        });
      } catch (error) {
        if (error instanceof GraphQLError) throw refusedBeforeExecution(error);
        throw error;
      }
      if (estimate.rootFields > QUERY_LIMITS.maxRootFields) {
        throw refusedBeforeExecution(
          apiError(
            'BAD_USER_INPUT',
            `The operation has ${estimate.rootFields} root fields; the limit is ${QUERY_LIMITS.maxRootFields}`,
            {
              limit: 'rootFields',
              found: estimate.rootFields,
              allowed: QUERY_LIMITS.maxRootFields,
            },
          ),
        );
      }
      if (estimate.cost > QUERY_LIMITS.maxCost) {
        throw refusedBeforeExecution(
          apiError(
            'BAD_USER_INPUT',
            `The query is too complex (cost ${estimate.cost}; the limit is ${QUERY_LIMITS.maxCost}): ask for smaller pages, fewer fields or fewer aliases`,
            { limit: 'cost', found: estimate.cost, allowed: QUERY_LIMITS.maxCost },
          ),
        );
      }
      if (estimate.sameForEveryRequest) accepted.add(operation, schema);
    },
  };
  return { listener };
}

// The request's one instant (graphql-options.ts fixes it in the context), so the price and the answer agree.
function requestNow(contextValue: unknown): number | undefined {
  const now = (contextValue as { now?: unknown } | undefined)?.now;
  return typeof now === 'number' ? now : undefined;
}

/** A request's execution deadline, kept on its context when its execution starts, and the limit it is of. */
const DEADLINE = Symbol('trustline.executionDeadline');
interface Deadline {
  at: number;
  now: () => number;
  refusal: () => GraphQLError;
}
type WithDeadline = { [DEADLINE]?: Deadline };
/** The schemas whose fields check the deadline. */
const DEADLINE_CHECKED = Symbol('trustline.deadlineChecked');

/**
 * Once a request has run past its deadline, every field not yet resolved is
 * refused: the answer holds what was done in time. The cost limit keeps one
 * field's own work bounded; this bounds what the estimate got wrong.
 *
 * Each field of the schema (those Apollo's willResolveField would see: every
 * field of every object type but the introspection types) checks the deadline
 * of its request before it resolves. Checked in the resolver itself rather than
 * in a willResolveField hook, which would make every field of every request
 * pay Apollo's per-field plugin dispatch.
 */
export function executionDeadlineRule(
  deadlineMs: number = QUERY_LIMITS.executionDeadlineMs,
  now: () => number = Date.now,
): RequestRule {
  const refusal = () =>
    apiError('BAD_USER_INPUT', `The request ran past its ${deadlineMs} ms deadline: ask for less at once`, {
      limit: 'deadline',
      allowed: deadlineMs,
    });
  const listener: GraphQLRequestListener<BaseContext> = {
    async executionDidStart({ contextValue }) {
      (contextValue as WithDeadline)[DEADLINE] = { at: now() + deadlineMs, now, refusal };
    },
  };
  return {
    listener,
    async serverWillStart({ schema }) {
      checkDeadlineInResolvers(schema);
    },
  };
}

/** Makes each field of the schema check its request's deadline first (once per schema, whatever the plugins). */
function checkDeadlineInResolvers(schema: GraphQLSchema): void {
  const checked = schema as GraphQLSchema & { [DEADLINE_CHECKED]?: true };
  if (checked[DEADLINE_CHECKED]) return;
  checked[DEADLINE_CHECKED] = true;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, contextValue, info) => {
        const deadline = (contextValue as WithDeadline | null | undefined)?.[DEADLINE];
        if (deadline !== undefined && deadline.now() > deadline.at) throw deadline.refusal();
        return resolve(source, args, contextValue, info);
      };
    }
  }
}

/**
 * The HTTP status of an executed request. As Nest's own plugin (switched off
 * in graphql-options.ts, since it would undo this) an answer with data is
 * HTTP 200, whatever status an error asked for; but a request refused whole
 * for its input (no data at all and every error BAD_USER_INPUT, e.g. a
 * mutation whose input failed validation, which appends nothing) answers
 * HTTP 400, as one refused before execution does. Parse, validation and
 * pre-execution refusals carry their own status and no data key.
 */
export function executedStatusRule(): RequestRule {
  const listener: GraphQLRequestListener<BaseContext> = {
    async willSendResponse({ response }) {
      if (response.body.kind !== 'single' || !('data' in response.body.singleResult)) return;
      const { data, errors } = response.body.singleResult;
      const refusedWhole =
        data === null && !!errors?.length && errors.every((error) => error.extensions?.code === 'BAD_USER_INPUT');
      response.http.status = refusedWhole ? 400 : 200;
    },
  };
  return { listener };
}

/**
 * A plugin whose request listener is one object for every request (it keeps nothing of a request between
 * hooks), with what it does when the server starts.
 */
export interface RequestRule<TContext extends BaseContext = BaseContext> {
  listener: GraphQLRequestListener<TContext>;
  serverWillStart?: (service: GraphQLServerContext) => Promise<void>;
}

export function asPlugin<TContext extends BaseContext>(rule: RequestRule<TContext>): ApolloServerPlugin<TContext> {
  const { listener, serverWillStart } = rule;
  return { ...(serverWillStart ? { serverWillStart } : {}), requestDidStart: async () => listener };
}

/** The hooks of a request listener whose result Apollo uses: two rules cannot share one. */
const ANSWERING_HOOKS = new Set(['parsingDidStart', 'validationDidStart', 'executionDidStart', 'responseForOperation']);

/**
 * Rules as one plugin: Apollo starts one listener per plugin for every request and awaits each of its hooks
 * for each listener, so several rules in one cost a request one listener's promises. Each hook calls the
 * rules' own in the order given, all started before any is awaited (as Apollo calls the listeners'); hooks
 * whose result Apollo uses may be had by one rule only.
 */
export function onePlugin<TContext extends BaseContext>(rules: RequestRule<TContext>[]): ApolloServerPlugin<TContext> {
  const merged: Record<string, unknown> = {};
  const hooks = new Set(rules.flatMap(({ listener }) => Object.keys(listener)));
  for (const hook of hooks) {
    const owners = rules.map(({ listener }) => listener).filter((listener) => hook in listener);
    const calls = owners.map((listener) => {
      const call = (listener as Record<string, unknown>)[hook];
      if (typeof call !== 'function') throw new Error(`The hook ${hook} of a rule is not a function`);
      return call.bind(listener) as (...args: unknown[]) => unknown;
    });
    if (calls.length === 1) merged[hook] = calls[0];
    else if (ANSWERING_HOOKS.has(hook)) throw new Error(`Two rules answer ${hook}: give them separate plugins`);
    else merged[hook] = (...args: unknown[]) => Promise.all(calls.map((call) => call(...args))).then(() => undefined);
  }
  const starts = rules.flatMap(({ serverWillStart }) => (serverWillStart ? [serverWillStart] : []));
  return asPlugin<TContext>({
    listener: merged as GraphQLRequestListener<TContext>,
    ...(starts.length
      ? {
          serverWillStart: async (service: GraphQLServerContext) => {
            await Promise.all(starts.map((start) => start(service)));
          },
        }
      : {}),
  });
}
