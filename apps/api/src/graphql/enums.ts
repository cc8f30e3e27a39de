import { registerEnumType } from '@nestjs/graphql';

// The contract's enums. GraphQL names are the contract's; values are the
// strings the domain already uses, so no mapping is needed either way.
export enum Party {
  MENTOR = 'MENTOR',
  MENTEE = 'MENTEE',
}
export enum EndedBy {
  MENTOR = 'MENTOR',
  MENTEE = 'MENTEE',
  PROGRAM = 'PROGRAM',
}
export enum ParticipantRole {
  MENTOR = 'MENTOR',
  MENTEE = 'MENTEE',
}
export enum TrustDirection {
  MENTEE_IN_MENTOR = 'MENTEE_IN_MENTOR',
  MENTOR_IN_MENTEE = 'MENTOR_IN_MENTEE',
}
export enum TrustComponent {
  INTEGRITY = 'INTEGRITY',
  BENEVOLENCE = 'BENEVOLENCE',
  ABILITY = 'ABILITY',
}
export enum TrustBand {
  TOO_EARLY = 'TOO_EARLY',
  HIGH = 'HIGH',
  STEADY = 'STEADY',
  FRAGILE = 'FRAGILE',
  AT_RISK = 'AT_RISK',
}
export enum MeetingMode {
  VIRTUAL = 'VIRTUAL',
  IN_PERSON = 'IN_PERSON',
}
export enum MeetingStatus {
  SCHEDULED = 'SCHEDULED',
  HELD = 'HELD',
  CANCELLED = 'CANCELLED',
  MISSED = 'MISSED',
}
export enum PromiseStatus {
  OPEN = 'OPEN',
  KEPT = 'KEPT',
  BROKEN = 'BROKEN',
}
export enum RelationshipStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  ENDED = 'ENDED',
}
export enum EndReason {
  COMPLETED = 'COMPLETED',
  MISMATCH = 'MISMATCH',
  TRUST_BREAKDOWN = 'TRUST_BREAKDOWN',
  LEFT_PROGRAM = 'LEFT_PROGRAM',
  OTHER = 'OTHER',
}
export enum Motive {
  DEVELOP_MENTEE = 'DEVELOP_MENTEE',
  GIVE_BACK = 'GIVE_BACK',
  PASS_THE_TORCH = 'PASS_THE_TORCH',
  SHARE_OWN_IDEAS = 'SHARE_OWN_IDEAS',
  EXPAND_NETWORK = 'EXPAND_NETWORK',
  CAREER_VISIBILITY = 'CAREER_VISIBILITY',
  OTHER = 'OTHER',
}
export enum TrendBucket {
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

const enums = {
  Party,
  EndedBy,
  ParticipantRole,
  TrustDirection,
  TrustComponent,
  TrustBand,
  MeetingMode,
  MeetingStatus,
  PromiseStatus,
  RelationshipStatus,
  EndReason,
  Motive,
  TrendBucket,
};
for (const [name, values] of Object.entries(enums)) registerEnumType(values, { name });
