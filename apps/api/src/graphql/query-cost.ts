import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { badUserInput } from './api-errors';
import { PAGE_SIZES } from './page-sizes';
import { QUERY_LIMITS } from './query-limits';

// The cost model: what an operation can make the server do, estimated from the
// document and its (coerced) variables alone, before any resolver runs. Every
// field is priced by the work it can touch; data the model cannot see (how many
// events a relationship has, how many relationships a program) is priced at the
// bounds QUERY_LIMITS.assumed names. Every selection counts each time it
// appears (aliases, repeats, fragments spread twice): execution may share work
// through the loaders, the estimate does not count on it.

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;
const { assumed, price } = QUERY_LIMITS;

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Coerced variable values (graphql's getVariableValues). */
  variables: Record<string, unknown>;
  now: number;
}

export interface CostEstimate {
  cost: number;
  rootFields: number;
  /**
   * True when the estimate depends on the document alone: on no variable's
   * value and not on `now` (no as-of instant, no explicit trend range given).
   * Then every request with this document gets the same estimate, whatever its
   * (coercible) variables and whenever it runs.
   */
  sameForEveryRequest: boolean;
}

type Args = Record<string, unknown>;
/** The field's own work and how many times its selection is answered (list items, page size, buckets). */
interface Price {
  own: number;
  items: number;
}
/** `now` is read only when a figure depends on it (the estimate then holds for this request only). */
type Pricer = (args: Args, now: () => number) => Price;

/** Instants a field is computed as of: refused outside [earliestInstant, now + maxAheadMs], naming the argument. */
const AS_OF_ARGUMENTS = new Set(['asOf', 'at', 'to', 'knownAt']);

/** The page a list can return: `first` (its default applied by graphql), clamped as the list clamps it. */
const page = (first: unknown, largest: number = PAGE_SIZES.largestList) =>
  Math.min(Math.max(0, typeof first === 'number' ? first : 0), largest);
const daysAhead = (instant: unknown, now: () => number) =>
  typeof instant === 'string' ? Math.max(0, (Date.parse(instant) - now()) / DAY_MS) : 0;
/** Time-triggered firings replayed beyond now, when a figure is asked as of a later instant. */
const firingsAhead = (instant: unknown, now: () => number) =>
  Math.ceil(daysAhead(instant, now) * assumed.firingsPerDay);
const replay = (events: number) => events * price.replayedEvent;

/** How many trend buckets `from`..`to` spans (the domain's bucketBounds counts the same, by walking them). */
export function trendBucketCount(bucket: 'WEEK' | 'MONTH', from: number, to: number): number {
  if (bucket === 'WEEK') {
    // Buckets start on Mondays; 1970-01-01 was a Thursday.
    const day = Math.floor(from / DAY_MS);
    const monday = (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS;
    return to > monday ? Math.ceil((to - monday) / WEEK_MS) : 0;
  }
  const start = new Date(from);
  if (to <= Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)) return 0;
  const end = new Date(to);
  const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
  const endMonthStart = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1);
  return months + (to > endMonthStart ? 1 : 0);
}

/** The earliest `from` whose trend up to `to` stays within QUERY_LIMITS.maxTrendBuckets. */
export function earliestTrendFrom(bucket: 'WEEK' | 'MONTH', to: number): number {
  const last = QUERY_LIMITS.maxTrendBuckets - 1;
  if (bucket === 'WEEK') {
    const day = Math.floor((to - 1) / DAY_MS);
    return (day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS - last * WEEK_MS;
  }
  const end = new Date(to - 1);
  return Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - last, 1);
}

/** Refuses a trend longer than QUERY_LIMITS.maxTrendBuckets, naming `from`. */
export function assertTrendBuckets(bucket: 'WEEK' | 'MONTH', from: number, to: number): number {
  const buckets = trendBucketCount(bucket, from, to);
  if (buckets > QUERY_LIMITS.maxTrendBuckets) {
    throw badUserInput([
      {
        field: 'from',
        message: `asks for ${buckets} ${bucket} buckets; at most ${QUERY_LIMITS.maxTrendBuckets} are answered: narrow from..to or use MONTH`,
      },
    ]);
  }
  return buckets;
}

function trendPrice(args: Args, now: () => number): Price {
  const bucket = args.bucket === 'MONTH' ? 'MONTH' : 'WEEK';
  const to = () => (typeof args.to === 'string' ? Date.parse(args.to) : now());
  // `from` defaults to the program's launch, which the document does not show: the most buckets answered.
  const buckets =
    typeof args.from === 'string'
      ? assertTrendBuckets(bucket, Date.parse(args.from), to())
      : QUERY_LIMITS.maxTrendBuckets;
  return { own: price.field + buckets * assumed.relationshipsPerProgram * price.trendCell, items: buckets };
}

const paged: Pricer = (args) => ({ own: price.field, items: page(args.first) });
const summary: Pricer = (args, now) => ({ own: price.summary + replay(firingsAhead(args.asOf, now)), items: 1 });

// Fields that cost more than a plain field, by `Type.field`.
const PRICES: Record<string, Pricer> = {
  'Query.programs': paged,
  'Query.relationshipHistory': (args) => ({ own: price.field, items: page(args.first, PAGE_SIZES.largestHistory) }),
  'Query.nodes': (args) => ({ own: price.field, items: Array.isArray(args.ids) ? args.ids.length : 1 }),
  'Query.relationshipAsOf': (args, now) => ({
    own: price.field + replay(assumed.eventsPerRelationship + firingsAhead(args.at, now)),
    items: 1,
  }),
  'Query.verifyRelationshipHistory': () => ({ own: price.field + replay(assumed.eventsPerRelationship), items: 1 }),
  // Filtering by band judges every relationship's trust first.
  'Program.relationships': (args) => ({
    own: price.field + assumed.relationshipsPerProgram * (args.band ? price.summary : price.scannedRelationship),
    items: page(args.first),
  }),
  // Every relationship of the program is judged as of `asOf` before the worst are picked.
  'Program.atRisk': (args, now) => ({
    own: price.field + assumed.relationshipsPerProgram * summary(args, now).own,
    items: page(args.first),
  }),
  'Program.trustTrend': trendPrice,
  'Relationship.trust': summary,
  'Relationship.cadence': summary,
  'Relationship.trustTrajectory': () => ({
    own: price.field + replay(assumed.eventsPerRelationship),
    items: assumed.eventsPerRelationship,
  }),
  'RelationshipSnapshot.trust': () => ({ own: price.summary, items: 1 }),
  'TrustPoint.contributions': () => ({ own: price.field, items: assumed.contributionsPerPoint }),
};

const plainField = (isList: boolean, isLeaf: boolean, parent: GraphQLCompositeType, name: string): Price => ({
  own: isLeaf ? price.leaf : price.field,
  // A connection's page was counted on the connection: its edges are that page.
  items: isList && !(parent.name.endsWith('Connection') && name === 'edges') ? assumed.itemsPerList : 1,
});

/** An argument the estimate reads the value of: a priced field's, or an as-of instant (checked against now). */
const readsArgument = (field: GraphQLField<unknown, unknown>, name: string, priced: boolean): boolean =>
  priced || isAsOfArgument(field, name);

const isAsOfArgument = (field: GraphQLField<unknown, unknown>, name: string): boolean => {
  const argument = AS_OF_ARGUMENTS.has(name) ? field.args.find((a) => a.name === name) : undefined;
  return argument !== undefined && getNamedType(argument.type).name === 'DateTime';
};

function assertAsOfWindow(field: GraphQLField<unknown, unknown>, args: Args, now: () => number): void {
  for (const argument of field.args) {
    const value = args[argument.name];
    if (
      !AS_OF_ARGUMENTS.has(argument.name) ||
      typeof value !== 'string' ||
      getNamedType(argument.type).name !== 'DateTime'
    )
      continue;
    assertInstantWindow(argument.name, value, now());
  }
}

/** The variables a value refers to, nested in lists and input objects included. */
function variablesIn(value: ValueNode, found: (name: string) => void): void {
  if (value.kind === Kind.VARIABLE) found(value.name.value);
  else if (value.kind === Kind.LIST) value.values.forEach((item) => variablesIn(item, found));
  else if (value.kind === Kind.OBJECT) value.fields.forEach((field) => variablesIn(field.value, found));
}

/** An instant a figure is computed as of: refused outside [earliestInstant, now + maxAheadMs], naming the argument. */
export function assertInstantWindow(name: string, value: string | null | undefined, now: number): void {
  if (value === null || value === undefined) return;
  const instant = Date.parse(value);
  const latest = now + QUERY_LIMITS.maxAheadMs;
  if (instant < Date.parse(QUERY_LIMITS.earliestInstant) || instant > latest) {
    throw badUserInput([
      {
        field: name,
        message: `must lie between ${QUERY_LIMITS.earliestInstant} and ${new Date(latest).toISOString()} (at most ${Math.round(
          QUERY_LIMITS.maxAheadMs / DAY_MS,
        )} days ahead)`,
      },
    ]);
  }
}

/**
 * The range a program trend answers, wherever it is asked (the GraphQL field,
 * the CSV export): `to` within the as-of window; an explicit `from` too far
 * back refused; the default `from` (the launch) brought forward to the
 * earliest bucket answered.
 */
export function boundedTrendRange(
  bucket: 'WEEK' | 'MONTH',
  range: { from: string | null; to: string | null },
  launchedAt: string,
  now: number,
): { from: string; to: string | null } {
  assertInstantWindow('to', range.to, now);
  const end = range.to ? Date.parse(range.to) : now;
  const start = range.from ? Date.parse(range.from) : Math.max(Date.parse(launchedAt), earliestTrendFrom(bucket, end));
  assertTrendBuckets(bucket, start, end);
  return { from: range.from ?? new Date(start).toISOString(), to: range.to };
}

class CostWalker {
  private readonly fragmentCosts = new Map<string, number>();
  private readonly fragmentRoots = new Map<string, number>();
  /** Variables declared non-null: coerced, they are present and non-null, so reading arguments from them cannot fail. */
  private readonly nonNullVariables: Set<string>;
  /** Whether the estimate read `now`, or depends on a variable's value. */
  usedNow = false;
  usedVariables = false;
  readonly now = (): number => {
    this.usedNow = true;
    return this.input.now;
  };

  constructor(private readonly input: CostInput) {
    this.nonNullVariables = new Set(
      (input.operation.variableDefinitions ?? [])
        .filter((definition) => definition.type.kind === Kind.NON_NULL_TYPE)
        .map((definition) => definition.variable.name.value),
    );
  }

  selectionCost(selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += this.fieldCost(selection, parent);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += this.selectionCost(
          selection.selectionSet,
          this.typeNamed(selection.typeCondition?.name.value) ?? parent,
        );
      } else {
        // Validation has refused fragment cycles; memoising keeps fragments spread within fragments linear.
        const name = selection.name.value;
        let cost = this.fragmentCosts.get(name);
        if (cost === undefined) {
          const fragment = this.input.fragments[name];
          cost = fragment
            ? this.selectionCost(fragment.selectionSet, this.typeNamed(fragment.typeCondition.name.value) ?? parent)
            : 0;
          this.fragmentCosts.set(name, cost);
        }
        total += cost;
      }
    }
    return total;
  }

  /** Root fields, repeats and fragments included; introspection's `__typename` is free. */
  rootFields(selectionSet: SelectionSetNode): number {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) count += selection.name.value.startsWith('__') ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += this.rootFields(selection.selectionSet);
      else {
        const name = selection.name.value;
        let spread = this.fragmentRoots.get(name);
        if (spread === undefined) {
          const fragment = this.input.fragments[name];
          spread = fragment ? this.rootFields(fragment.selectionSet) : 0;
          this.fragmentRoots.set(name, spread);
        }
        count += spread;
      }
    }
    return count;
  }

  private fieldCost(node: FieldNode, parent: GraphQLCompositeType): number {
    const name = node.name.value;
    if (name === '__typename') return 0;
    // Introspection reads the schema, a bounded structure held in memory: a flat price.
    if (name === '__schema' || name === '__type') return QUERY_LIMITS.price.field * 50;
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!field) return price.field;
    const pricer = PRICES[`${parent.name}.${name}`];
    this.noteVariables(field, node, pricer !== undefined);
    const args = getArgumentValues(field, node, this.input.variables) as Args;
    assertAsOfWindow(field, args, this.now);
    const named = getNamedType(field.type);
    const { own, items } = pricer
      ? pricer(args, this.now)
      : parent.name === 'Mutation'
        ? { own: price.write, items: 1 }
        : plainField(isListType(getNullableType(field.type)), !isCompositeType(named), parent, name);
    const children = node.selectionSet && isCompositeType(named) ? this.selectionCost(node.selectionSet, named) : 0;
    return own + items * children;
  }

  /**
   * The estimate depends on the variables when it reads the value of an
   * argument given by one, or when an argument comes from a nullable variable
   * (whose null, or absence, getArgumentValues may refuse).
   */
  private noteVariables(field: GraphQLField<unknown, unknown>, node: FieldNode, priced: boolean): void {
    if (this.usedVariables) return;
    for (const argument of node.arguments ?? []) {
      variablesIn(argument.value, (variable) => {
        if (readsArgument(field, argument.name.value, priced) || !this.nonNullVariables.has(variable)) {
          this.usedVariables = true;
        }
      });
    }
  }

  private typeNamed(name: string | undefined): GraphQLCompositeType | undefined {
    const type = name ? this.input.schema.getType(name) : undefined;
    return type && isCompositeType(type) ? type : undefined;
  }
}

/**
 * The operation's estimated cost and root-field count. Throws BAD_USER_INPUT
 * for an as-of instant outside its window or a trend longer than allowed.
 */
export function estimateCost(input: CostInput): CostEstimate {
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) throw new GraphQLError(`This server has no ${input.operation.operation} type`);
  const walker = new CostWalker(input);
  const cost = Math.ceil(walker.selectionCost(input.operation.selectionSet, root));
  return {
    cost,
    rootFields: walker.rootFields(input.operation.selectionSet),
    sameForEveryRequest: !walker.usedNow && !walker.usedVariables,
  };
}
