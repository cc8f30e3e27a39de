import { Context, Query, Resolver } from '@nestjs/graphql';
import { Access, Authorize } from './authorize.decorator';
import { type RequestContext, requireViewer } from '../graphql/request-context';
import { ViewerModel } from './viewer.model';

@Resolver(() => ViewerModel)
export class ViewerResolver {
  @Query(() => ViewerModel)
  @Authorize(Access.anyone)
  me(@Context() context: RequestContext): ViewerModel {
    return requireViewer(context);
  }
}
