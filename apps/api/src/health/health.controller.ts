import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { type NotReady, Readiness } from './readiness';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
  ) {}

  /** The process answers: 200 whenever it can answer at all (a liveness probe restarts it otherwise). */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** 200 when the server should get traffic; 503 naming each reason when not. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.indicator('eventStore', this.readiness.eventStore()),
      () => this.indicator('readModels', this.readiness.readModels()),
      () => this.indicator('projections', this.readiness.projections()),
      () => this.indicator('storage', this.readiness.storageHealth()),
    ]);
  }

  /** The older name of /health/ready, kept for the probes that use it. */
  @Get()
  @HealthCheck()
  check() {
    return this.ready();
  }

  private async indicator(key: NotReady['check'], outcome: NotReady | null | Promise<NotReady | null>) {
    const indicator = this.indicators.check(key);
    const problem = await outcome;
    return problem ? indicator.down({ reason: problem.reason }) : indicator.up();
  }
}
