import { Module } from '@nestjs/common';
import { EvidenceSummaries } from './evidence-summaries.cache';
import { Views } from './views.service';

@Module({ providers: [Views, EvidenceSummaries], exports: [Views] })
export class ViewsModule {}
