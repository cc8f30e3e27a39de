// Every operation the dashboard sends. The `/* GraphQL */` marks let the
// client check (test/clients) validate them against the generated schema.

// The rows of the promise and meeting tables (relationship-tables.tsx), asked the same way by the
// relationship view and the as-of snapshot.
export const PROMISE_AND_MEETING_ROWS = /* GraphQL */ `
  fragment DashboardPromiseRow on MentoringPromise {
    id
    promisor
    description
    dueAt
    status
    keptAt
    overdue
  }
  fragment DashboardMeetingRow on Meeting {
    id
    startsAt
    durationMinutes
    mode
    status
    scheduledBy
    cancelledBy
    noticeHours
  }
`;

export const ME = /* GraphQL */ `
  query DashboardMe {
    me {
      subject
      roles
      programIds
      participantId
    }
  }
`;

export const PROGRAMS = /* GraphQL */ `
  query DashboardPrograms($after: String) {
    programs(first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          cadenceDays
          launchedAt
        }
      }
    }
  }
`;

export const PROGRAM = /* GraphQL */ `
  query DashboardProgram($id: ID!, $bucket: TrendBucket!, $from: DateTime, $to: DateTime) {
    program(id: $id) {
      id
      name
      cadenceDays
      sessionMinutes
      launchedAt
      trustTrend(bucket: $bucket, from: $from, to: $to) {
        start
        end
        activeRelationships
        medianScore
        p25Score
        p75Score
        bands {
          tooEarly
          high
          steady
          fragile
          atRisk
        }
        promisesKeptRate
        cancellationRate
        noShowRate
        medianGapDays
        organizationTrust
        communications
      }
    }
  }
`;

export const AT_RISK = /* GraphQL */ `
  query DashboardAtRisk($id: ID!) {
    program(id: $id) {
      id
      atRisk(first: 50) {
        id
        status
        mentor {
          id
          displayName
        }
        mentee {
          id
          displayName
        }
        trust {
          score
          band
          uncertainty
        }
        cadence {
          agreedDays
          currentGapDays
          medianGapDays
          needsCheckIn
          inactive
        }
      }
    }
  }
`;

export const PROGRAM_RELATIONSHIPS = /* GraphQL */ `
  query DashboardProgramRelationships($id: ID!, $after: String) {
    program(id: $id) {
      id
      relationships(first: 50, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            startedAt
            mentor {
              id
              displayName
            }
            mentee {
              id
              displayName
            }
            trust {
              score
              band
            }
          }
        }
      }
    }
  }
`;

export const PROGRAM_TRUST_CHANGED = /* GraphQL */ `
  subscription DashboardProgramTrustChanged($id: ID!) {
    programTrustChanged(programId: $id) {
      relationshipId
      direction
      point {
        at
        score
        band
        delta
        cause {
          type
        }
      }
    }
  }
`;

export const RELATIONSHIP = /* GraphQL */ `
  query DashboardRelationship($id: ID!) {
    relationship(id: $id) {
      id
      status
      startedAt
      endedAt
      endReason
      cadenceDays
      motiveReviewRecommended
      program {
        id
        name
      }
      mentor {
        id
        displayName
      }
      mentee {
        id
        displayName
      }
      cadence {
        agreedDays
        meetingsHeld
        medianGapDays
        currentGapDays
        score
        needsCheckIn
        inactive
      }
      promises {
        ...DashboardPromiseRow
      }
      meetings {
        ...DashboardMeetingRow
      }
    }
  }
  ${PROMISE_AND_MEETING_ROWS}
`;

// One direction per request: a participant may read only the trust it places,
// and a refused non-null field would null the whole relationship.
export const TRAJECTORY = /* GraphQL */ `
  query DashboardTrajectory($id: ID!, $direction: TrustDirection!) {
    relationship(id: $id) {
      id
      trust(direction: $direction) {
        score
        band
        uncertainty
        asOf
      }
      trustTrajectory(direction: $direction) {
        direction
        at
        score
        integrity
        benevolence
        ability
        uncertainty
        band
        delta
        cause {
          id
          type
          position
          streamRevision
          occurredAt
          recordedAt
        }
        contributions {
          rule
          component
          positive
          negative
        }
      }
    }
  }
`;

export const HISTORY = /* GraphQL */ `
  query DashboardHistory($id: ID!, $after: String) {
    relationshipHistory(relationshipId: $id, first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          type
          streamRevision
          position
          occurredAt
          recordedAt
          actor
          correlationId
          data
          hash
          previousHash
        }
      }
    }
  }
`;

export const VERIFY = /* GraphQL */ `
  query DashboardVerify($id: ID!) {
    verifyRelationshipHistory(relationshipId: $id) {
      ok
      eventsChecked
      firstBrokenEventId
      reason
    }
  }
`;

export const AS_OF = /* GraphQL */ `
  query DashboardAsOf($id: ID!, $at: DateTime!, $knownAt: DateTime, $direction: TrustDirection!) {
    relationshipAsOf(relationshipId: $id, at: $at, knownAt: $knownAt) {
      relationshipId
      at
      knownAt
      eventsApplied
      status
      trust(direction: $direction) {
        score
        band
        uncertainty
        asOf
      }
      promises {
        ...DashboardPromiseRow
      }
      meetings {
        ...DashboardMeetingRow
      }
    }
  }
  ${PROMISE_AND_MEETING_ROWS}
`;
