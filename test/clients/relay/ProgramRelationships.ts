declare function graphql(strings: TemplateStringsArray): unknown;

// Pagination both ways: @connection needs the full PageInfo, a bidirectional fragment last/before too.
export const program = graphql`
  fragment ProgramRelationships_program on Program
  @refetchable(queryName: "ProgramRelationshipsPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 10 }
    after: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
  ) {
    id
    name
    relationships(first: $first, after: $after, last: $last, before: $before)
      @connection(key: "ProgramRelationships_relationships") {
      totalCount
      edges {
        node {
          id
          ...RelationshipCard_relationship
        }
      }
    }
  }
`;

export const query = graphql`
  query ProgramRelationshipsQuery($id: ID!) {
    program(id: $id) {
      ...ProgramRelationships_program
    }
    node(id: $id) {
      id
      ... on Program {
        name
      }
    }
    nodes(ids: [$id]) {
      id
      __typename
    }
  }
`;

export const live = graphql`
  subscription ProgramRelationshipsLiveSubscription($id: ID!) {
    programTrustChanged(programId: $id) {
      relationshipId
      direction
      point {
        ...RelationshipCard_point
      }
    }
  }
`;
