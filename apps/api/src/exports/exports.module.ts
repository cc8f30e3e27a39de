import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ViewsModule } from '../views/views.module';
import { ExportsController } from './exports.controller';

/** GET /export/…: CSV downloads of trends and trajectories. */
@Module({ imports: [AuthModule, ViewsModule], controllers: [ExportsController] })
export class ExportsModule {}
