import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@trustline/config';
import { Metrics } from './metrics.service';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Prometheus text format; 404 when METRICS_ENABLED=false. */
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8; version=0.0.4')
  async scrape(): Promise<string> {
    if (!this.config.get('METRICS_ENABLED', { infer: true })) throw new NotFoundException();
    return this.metrics.scrape();
  }
}
