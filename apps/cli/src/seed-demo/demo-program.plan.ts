import {
  fromMillis,
  MS_PER_DAY,
  MS_PER_HOUR,
  TRUST_POLICY_V1,
  type Motive,
  type ParticipantCommand,
  type ProgramCommand,
  type RelationshipCommand,
} from '@trustline/domain';
import { RelationshipScript, type EndPlan, type PausePlan } from './demo-relationship.script';
import { DEMO_TUNING, type DemoBehaviour } from './demo.tuning';
import { COMMUNICATIONS, FIRST_NAMES, LAST_NAMES } from './demo.vocabulary';
import { SeededRandom } from './seeded-random';

const T = DEMO_TUNING;

export interface DemoOptions {
  seed: number;
  relationships: number;
  months: number;
  /** The clock: everything planned lies before it. */
  now: number;
}

export type PlannedCommand =
  | { stream: 'program'; at: number; command: ProgramCommand }
  | { stream: 'participant'; at: number; command: Extract<ParticipantCommand, { type: 'RegisterParticipant' }> }
  | { stream: 'relationship'; at: number; command: RelationshipCommand };

export interface DemoRelationship {
  relationshipId: string;
  mentorId: string;
  menteeId: string;
  behaviour: DemoBehaviour;
  paused: boolean;
  ended: boolean;
}

export interface DemoPlan {
  programId: string;
  programName: string;
  launchedAt: number;
  participants: number;
  relationships: DemoRelationship[];
  /** In the order to execute them: by occurredAt, as if recorded while it happened. */
  commands: PlannedCommand[];
}

/**
 * A mentoring program's last months, as the commands that would have recorded
 * it: one program, a mentor and a mentee per relationship, and relationships
 * that behave steadily, lapse, recover or break their promises.
 */
export function planDemoProgram(options: DemoOptions): DemoPlan {
  const random = new SeededRandom(options.seed);
  const horizon = options.now - T.pastMarginMinutes * 60_000;
  const launchedAt = startOfDay(horizon - options.months * T.monthDays * MS_PER_DAY) + 9 * MS_PER_HOUR;
  const programId = random.uuid();
  const programName = `Founders mentoring programme (demo, seed ${options.seed})`;
  const commands: PlannedCommand[] = [];

  commands.push({
    stream: 'program',
    at: launchedAt,
    command: {
      type: 'LaunchProgram',
      data: {
        programId,
        name: programName,
        cadenceDays: T.programCadenceDays,
        sessionMinutes: T.sessionMinutes,
        occurredAt: fromMillis(launchedAt),
      },
    },
  });
  commands.push(...communications(random, programId, launchedAt, horizon));

  const names = new People(random);
  const behaviours = assignBehaviours(random, options.relationships);
  const endings = assignEndings(random, behaviours);
  const pauses = assignPauses(random, behaviours, endings);
  const relationships: DemoRelationship[] = [];
  const span = horizon - launchedAt;

  behaviours.forEach((behaviour, index) => {
    const startAt = random.chance(T.firstWaveShare)
      ? launchedAt + random.between(...T.firstWaveDays) * MS_PER_DAY
      : launchedAt + random.between(...T.secondWaveShare) * span;
    const registeredAt = Math.max(
      launchedAt + MS_PER_HOUR,
      startAt - random.between(...T.registeredBeforeStartDays) * MS_PER_DAY,
    );
    const mentorId = random.uuid();
    const menteeId = random.uuid();
    for (const [participantId, role] of [
      [mentorId, 'MENTOR'],
      [menteeId, 'MENTEE'],
    ] as const) {
      const person = names.next();
      const at = registeredAt + random.between(0, 0.5) * (startAt - registeredAt);
      commands.push({
        stream: 'participant',
        at,
        command: {
          type: 'RegisterParticipant',
          data: { participantId, programId, role, ...person, occurredAt: fromMillis(at), program: null },
        },
      });
    }
    const relationshipId = random.uuid();
    const script = new RelationshipScript(random, {
      relationshipId,
      programId,
      mentorId,
      menteeId,
      behaviour,
      variableParty: random.chance(T.mentorIsTheVariablePartyShare) ? 'MENTOR' : 'MENTEE',
      startAt,
      horizon,
      cadenceDays: random.chance(T.ownCadenceShare) ? T.ownCadenceDays : null,
      motive: motiveOf(random),
      pause: pauses.get(index) ?? null,
      end: endings.get(index) ?? null,
    });
    for (const { at, command } of script.write()) commands.push({ stream: 'relationship', at, command });
    relationships.push({
      relationshipId,
      mentorId,
      menteeId,
      behaviour,
      paused: pauses.has(index),
      ended: endings.has(index),
    });
  });

  return {
    programId,
    programName,
    launchedAt,
    participants: options.relationships * 2,
    relationships,
    // Stable: facts at the same instant keep the order they were written in.
    commands: commands.sort((a, b) => a.at - b.at),
  };
}

function communications(
  random: SeededRandom,
  programId: string,
  launchedAt: number,
  horizon: number,
): PlannedCommand[] {
  const planned: { at: number; channel: string; summary: string }[] = [
    { at: launchedAt + MS_PER_DAY, ...COMMUNICATIONS.kickOff },
  ];
  for (let month = 1; launchedAt + month * T.monthDays * MS_PER_DAY < horizon; month++) {
    planned.push({ at: launchedAt + month * T.monthDays * MS_PER_DAY, ...COMMUNICATIONS.newsletter });
    if (month % 2 === 0)
      planned.push({ at: launchedAt + (month * T.monthDays + 10) * MS_PER_DAY, ...COMMUNICATIONS.survey });
  }
  planned.push({ at: launchedAt + (horizon - launchedAt) / 2 + 3 * MS_PER_DAY, ...COMMUNICATIONS.workshop });
  return planned
    .filter(({ at }) => at < horizon)
    .map(({ at, channel, summary }) => ({
      stream: 'program' as const,
      at,
      command: {
        type: 'RecordProgramCommunication' as const,
        data: {
          programId,
          communicationId: random.uuid(),
          channel,
          summary,
          occurredAt: fromMillis(at),
        },
      },
    }));
}

function assignBehaviours(random: SeededRandom, count: number): DemoBehaviour[] {
  // Counts in proportion to the weights, then shuffled: a small demo still shows every behaviour.
  const total = T.behaviours.reduce((sum, [, weight]) => sum + weight, 0);
  const list: DemoBehaviour[] = [];
  for (const [behaviour, weight] of T.behaviours) {
    for (let i = 0; i < Math.round((count * weight) / total); i++) list.push(behaviour);
  }
  while (list.length < count) list.push('steady');
  return random.shuffle(list.slice(0, count));
}

const shareOf = (count: number, share: number): number => (count < 3 ? 0 : Math.max(1, Math.round(count * share)));

function assignEndings(random: SeededRandom, behaviours: DemoBehaviour[]): Map<number, EndPlan> {
  const endings = new Map<number, EndPlan>();
  const wanted = shareOf(behaviours.length, T.endedShare);
  const indexes = random.shuffle(behaviours.map((_, index) => index));
  // Lapsing relationships break off; the first steady one completes as planned; any other leaves the program.
  const lapsing = indexes.filter((index) => behaviours[index] === 'lapsing');
  const steady = indexes.filter((index) => behaviours[index] === 'steady');
  const plans: [number | undefined, () => EndPlan][] = [
    [
      steady[0],
      () => ({ after: random.between(...T.completedAfter), endedBy: 'PROGRAM', reason: 'COMPLETED', planned: true }),
    ],
    [
      lapsing[0],
      () => ({
        after: random.between(...T.brokenOffAfter),
        endedBy: 'MENTEE',
        reason: 'TRUST_BREAKDOWN',
        planned: false,
      }),
    ],
    [
      lapsing[1],
      () => ({ after: random.between(...T.brokenOffAfter), endedBy: 'MENTOR', reason: 'MISMATCH', planned: false }),
    ],
  ];
  for (const [index, plan] of plans) {
    if (endings.size < wanted && index !== undefined) endings.set(index, plan());
  }
  for (const index of indexes) {
    if (endings.size >= wanted) break;
    if (!endings.has(index)) {
      endings.set(index, {
        after: random.between(...T.brokenOffAfter),
        endedBy: 'PROGRAM',
        reason: 'LEFT_PROGRAM',
        planned: false,
      });
    }
  }
  return endings;
}

function assignPauses(
  random: SeededRandom,
  behaviours: DemoBehaviour[],
  endings: Map<number, EndPlan>,
): Map<number, PausePlan> {
  const pauses = new Map<number, PausePlan>();
  const wanted = shareOf(behaviours.length, T.pausedShare);
  const candidates = random
    .shuffle(behaviours.map((_, index) => index))
    .filter((index) => !endings.has(index) && behaviours[index] !== 'lapsing');
  for (const index of candidates.slice(0, wanted)) {
    // The first pause is resumed by hand; any further one runs out by itself.
    pauses.set(index, { after: random.between(...T.pauseAfter), untilSet: pauses.size > 0 });
  }
  return pauses;
}

/** The motives the trust model counts as development-first; the self-first ones are the demo's choice. */
const DEVELOPMENT_FIRST = TRUST_POLICY_V1.motives.developmentFirst;
const SELF_FIRST: Motive[] = ['SHARE_OWN_IDEAS', 'EXPAND_NETWORK', 'CAREER_VISIBILITY'];

function motiveOf(random: SeededRandom): { primaryMotive: Motive; menteeDevelopmentFirst: boolean } | null {
  if (!random.chance(T.motiveAssessedShare)) return null;
  return random.chance(T.selfFirstMotiveShare)
    ? { primaryMotive: random.pick(SELF_FIRST), menteeDevelopmentFirst: false }
    : { primaryMotive: random.pick(DEVELOPMENT_FIRST), menteeDevelopmentFirst: true };
}

/** Invented people with example.org addresses; a name drawn twice gets a number. */
class People {
  private readonly used = new Set<string>();

  constructor(private readonly random: SeededRandom) {}

  next(): { displayName: string; email: string } {
    const drawn = `${this.random.pick(FIRST_NAMES)} ${this.random.pick(LAST_NAMES)}`;
    let displayName = drawn;
    for (let n = 2; this.used.has(displayName); n++) displayName = `${drawn} ${n}`;
    this.used.add(displayName);
    return { displayName, email: `${emailPart(displayName)}@example.org` };
  }
}

const emailPart = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

const startOfDay = (at: number): number => Math.floor(at / MS_PER_DAY) * MS_PER_DAY;
