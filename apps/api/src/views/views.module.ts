import { Module } from '@nestjs/common';
import { Views } from './views.service';

@Module({ providers: [Views], exports: [Views] })
export class ViewsModule {}
