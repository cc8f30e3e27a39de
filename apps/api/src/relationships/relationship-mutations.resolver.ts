import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { RelationshipCommand } from '@trustline/domain';
import { Access, Authorize } from '../auth/authorize.decorator';
import type { RequestContext } from '../auth/request-context';
import { MutationRunner, type PreparedMutation } from '../write/mutation-runner';
import { MeetingPayload, PromisePayload, RelationshipPayload } from './relationship.payloads';
import { ExecuteRelationshipCommand } from '../write/stream-commands';
import {
  AssessMentorMotivesInput,
  BreakPromiseInput,
  CancelMeetingInput,
  EndRelationshipInput,
  KeepPromiseInput,
  MakePromiseInput,
  PauseRelationshipInput,
  RecordMeetingHeldInput,
  RecordMeetingMissedInput,
  RenegotiatePromiseInput,
  RescheduleMeetingInput,
  ResumeRelationshipInput,
  ScheduleMeetingInput,
  StartRelationshipInput,
  SubmitTrustCheckInInput,
} from './relationship.inputs';
import { MeetingModel, MentoringPromiseModel, RelationshipModel } from './relationship.model';
import { RelationshipViewAfterWrite } from './relationship-view-after-write';

type Input = { idempotencyKey?: string | null; occurredAt?: string | null };

/** Every relationship mutation: input → domain command → bus → payload. */
@Resolver()
export class RelationshipMutationsResolver {
  constructor(
    private readonly mutations: MutationRunner,
    private readonly views: RelationshipViewAfterWrite,
  ) {}

  private async record(
    mutation: string,
    input: Input,
    request: RequestContext,
    toCommand: (prepared: PreparedMutation) => RelationshipCommand,
  ) {
    const prepared = this.mutations.prepare(mutation, input, request);
    const command = toCommand(prepared);
    const result = await this.mutations.run(new ExecuteRelationshipCommand(command, prepared.context));
    // The decider's state is lean; the payload shows the relationship view, as queries do.
    const state = await this.views.after(command.data.relationshipId, result.projected);
    return {
      position: result.position,
      projected: result.projected,
      state,
      command,
      relationship: RelationshipModel.from(state, request.now),
    };
  }

  private async recordPromise(...args: Parameters<RelationshipMutationsResolver['record']>) {
    const result = await this.record(...args);
    const { promiseId } = result.command.data as { promiseId: string };
    const promise = result.state.promises.find((p) => p.id === promiseId)!;
    return { ...result, promise: MentoringPromiseModel.from(promise, result.relationship.now, result.state) };
  }

  private async recordMeeting(...args: Parameters<RelationshipMutationsResolver['record']>) {
    const result = await this.record(...args);
    const { meetingId } = result.command.data as { meetingId: string };
    const meeting = result.state.meetings.find((m) => m.id === meetingId)!;
    return { ...result, meeting: MeetingModel.from(meeting) };
  }

  @Mutation(() => RelationshipPayload)
  @Authorize(Access.mutation('startRelationship', { program: 'programId', participants: ['mentorId', 'menteeId'] }))
  startRelationship(@Args('input') input: StartRelationshipInput, @Context() request: RequestContext) {
    return this.record('startRelationship', input, request, ({ context, occurredAt }) => ({
      type: 'StartRelationship',
      data: {
        relationshipId: context.identity.entityId('relationship'),
        programId: input.programId,
        mentorId: input.mentorId,
        menteeId: input.menteeId,
        cadenceDays: input.cadenceDays ?? null,
        occurredAt,
        // Read by the handler from their own streams.
        program: null,
        mentor: null,
        mentee: null,
      },
    }));
  }

  @Mutation(() => RelationshipPayload)
  @Authorize(Access.mutation('assessMentorMotives', { relationship: 'relationshipId' }))
  assessMentorMotives(@Args('input') input: AssessMentorMotivesInput, @Context() request: RequestContext) {
    return this.record('assessMentorMotives', input, request, ({ occurredAt }) => ({
      type: 'AssessMentorMotives',
      data: {
        relationshipId: input.relationshipId,
        primaryMotive: input.primaryMotive,
        menteeDevelopmentFirst: input.menteeDevelopmentFirst,
        note: input.note ?? null,
        occurredAt,
      },
    }));
  }

  @Mutation(() => PromisePayload)
  @Authorize(Access.mutation('makePromise', { relationship: 'relationshipId', party: 'promisor' }))
  makePromise(@Args('input') input: MakePromiseInput, @Context() request: RequestContext) {
    return this.recordPromise('makePromise', input, request, ({ context, occurredAt }) => ({
      type: 'MakePromise',
      data: {
        relationshipId: input.relationshipId,
        promiseId: context.identity.entityId('promise'),
        promisor: input.promisor,
        description: input.description,
        dueAt: input.dueAt,
        occurredAt,
      },
    }));
  }

  @Mutation(() => PromisePayload)
  @Authorize(Access.mutation('renegotiatePromise', { relationship: 'relationshipId' }))
  renegotiatePromise(@Args('input') input: RenegotiatePromiseInput, @Context() request: RequestContext) {
    return this.recordPromise('renegotiatePromise', input, request, ({ occurredAt }) => ({
      type: 'RenegotiatePromise',
      data: { relationshipId: input.relationshipId, promiseId: input.promiseId, newDueAt: input.newDueAt, occurredAt },
    }));
  }

  @Mutation(() => PromisePayload)
  @Authorize(Access.mutation('keepPromise', { relationship: 'relationshipId' }))
  keepPromise(@Args('input') input: KeepPromiseInput, @Context() request: RequestContext) {
    return this.recordPromise('keepPromise', input, request, ({ occurredAt }) => ({
      type: 'KeepPromise',
      data: { relationshipId: input.relationshipId, promiseId: input.promiseId, occurredAt },
    }));
  }

  @Mutation(() => PromisePayload)
  @Authorize(Access.mutation('breakPromise', { relationship: 'relationshipId' }))
  breakPromise(@Args('input') input: BreakPromiseInput, @Context() request: RequestContext) {
    return this.recordPromise('breakPromise', input, request, ({ occurredAt }) => ({
      type: 'BreakPromise',
      data: {
        relationshipId: input.relationshipId,
        promiseId: input.promiseId,
        reason: input.reason ?? null,
        occurredAt,
      },
    }));
  }

  @Mutation(() => MeetingPayload)
  @Authorize(Access.mutation('scheduleMeeting', { relationship: 'relationshipId', party: 'scheduledBy' }))
  scheduleMeeting(@Args('input') input: ScheduleMeetingInput, @Context() request: RequestContext) {
    return this.recordMeeting('scheduleMeeting', input, request, ({ context, occurredAt }) => ({
      type: 'ScheduleMeeting',
      data: {
        relationshipId: input.relationshipId,
        meetingId: context.identity.entityId('meeting'),
        startsAt: input.startsAt,
        durationMinutes: input.durationMinutes,
        mode: input.mode,
        scheduledBy: input.scheduledBy,
        occurredAt,
      },
    }));
  }

  @Mutation(() => MeetingPayload)
  @Authorize(Access.mutation('rescheduleMeeting', { relationship: 'relationshipId', party: 'by' }))
  rescheduleMeeting(@Args('input') input: RescheduleMeetingInput, @Context() request: RequestContext) {
    return this.recordMeeting('rescheduleMeeting', input, request, ({ occurredAt }) => ({
      type: 'RescheduleMeeting',
      data: {
        relationshipId: input.relationshipId,
        meetingId: input.meetingId,
        newStartsAt: input.newStartsAt,
        by: input.by,
        occurredAt,
      },
    }));
  }

  @Mutation(() => MeetingPayload)
  @Authorize(Access.mutation('cancelMeeting', { relationship: 'relationshipId', party: 'by' }))
  cancelMeeting(@Args('input') input: CancelMeetingInput, @Context() request: RequestContext) {
    return this.recordMeeting('cancelMeeting', input, request, ({ occurredAt }) => ({
      type: 'CancelMeeting',
      data: {
        relationshipId: input.relationshipId,
        meetingId: input.meetingId,
        by: input.by,
        reason: input.reason ?? null,
        occurredAt,
      },
    }));
  }

  @Mutation(() => MeetingPayload)
  @Authorize(Access.mutation('recordMeetingHeld', { relationship: 'relationshipId' }))
  recordMeetingHeld(@Args('input') input: RecordMeetingHeldInput, @Context() request: RequestContext) {
    return this.recordMeeting('recordMeetingHeld', input, request, ({ occurredAt }) => ({
      type: 'RecordMeetingHeld',
      data: {
        relationshipId: input.relationshipId,
        meetingId: input.meetingId,
        startedAt: input.startedAt ?? null,
        durationMinutes: input.durationMinutes ?? null,
        mentorMinutesLate: input.mentorMinutesLate,
        menteeMinutesLate: input.menteeMinutesLate,
        occurredAt,
      },
    }));
  }

  @Mutation(() => MeetingPayload)
  @Authorize(Access.mutation('recordMeetingMissed', { relationship: 'relationshipId' }))
  recordMeetingMissed(@Args('input') input: RecordMeetingMissedInput, @Context() request: RequestContext) {
    return this.recordMeeting('recordMeetingMissed', input, request, ({ occurredAt }) => ({
      type: 'RecordMeetingMissed',
      data: { relationshipId: input.relationshipId, meetingId: input.meetingId, absent: input.absent, occurredAt },
    }));
  }

  @Mutation(() => RelationshipPayload)
  @Authorize(Access.mutation('submitTrustCheckIn', { relationship: 'relationshipId', party: 'respondent' }))
  submitTrustCheckIn(@Args('input') input: SubmitTrustCheckInInput, @Context() request: RequestContext) {
    return this.record('submitTrustCheckIn', input, request, ({ context, occurredAt }) => ({
      type: 'SubmitTrustCheckIn',
      data: {
        relationshipId: input.relationshipId,
        checkInId: context.identity.entityId('check-in'),
        respondent: input.respondent,
        ability: input.ability,
        benevolence: input.benevolence,
        integrity: input.integrity,
        openness: input.openness ?? null,
        organization: input.organization ?? null,
        occurredAt,
      },
    }));
  }

  @Mutation(() => RelationshipPayload)
  @Authorize(Access.mutation('pauseRelationship', { relationship: 'relationshipId' }))
  pauseRelationship(@Args('input') input: PauseRelationshipInput, @Context() request: RequestContext) {
    return this.record('pauseRelationship', input, request, ({ occurredAt }) => ({
      type: 'PauseRelationship',
      data: {
        relationshipId: input.relationshipId,
        until: input.until ?? null,
        reason: input.reason ?? null,
        occurredAt,
      },
    }));
  }

  @Mutation(() => RelationshipPayload)
  @Authorize(Access.mutation('resumeRelationship', { relationship: 'relationshipId' }))
  resumeRelationship(@Args('input') input: ResumeRelationshipInput, @Context() request: RequestContext) {
    return this.record('resumeRelationship', input, request, ({ occurredAt }) => ({
      type: 'ResumeRelationship',
      data: { relationshipId: input.relationshipId, occurredAt },
    }));
  }

  @Mutation(() => RelationshipPayload)
  @Authorize(Access.mutation('endRelationship', { relationship: 'relationshipId', party: 'endedBy' }))
  endRelationship(@Args('input') input: EndRelationshipInput, @Context() request: RequestContext) {
    return this.record('endRelationship', input, request, ({ occurredAt }) => ({
      type: 'EndRelationship',
      data: {
        relationshipId: input.relationshipId,
        endedBy: input.endedBy,
        reason: input.reason,
        planned: input.planned,
        occurredAt,
      },
    }));
  }
}
