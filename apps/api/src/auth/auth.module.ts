import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthService } from './auth.service';
import { ViewerResolver } from './viewer.resolver';

@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [AuthService, ViewerResolver],
  exports: [AuthService],
})
export class AuthModule {}
