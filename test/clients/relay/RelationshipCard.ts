// Relay fragments a frontend team would write against Trustline; compiled by
// relay-compiler in `npm run test:clients` (never imported, so no react-relay needed).
declare function graphql(strings: TemplateStringsArray): unknown;

// @refetchable needs the Node interface and node(id).
export const relationship = graphql`
  fragment RelationshipCard_relationship on Relationship @refetchable(queryName: "RelationshipCardRefetchQuery") {
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
    trust(direction: MENTEE_IN_MENTOR) {
      score
      band
      uncertainty
    }
    cadence {
      agreedDays
      currentGapDays
      needsCheckIn
    }
    trustTrajectory(direction: MENTOR_IN_MENTEE) {
      ...RelationshipCard_point
    }
  }
`;

export const point = graphql`
  fragment RelationshipCard_point on TrustPoint {
    direction
    at
    score
    delta
    cause {
      id
      type
      position
    }
    contributions {
      rule
      component
      positive
      negative
    }
  }
`;
