import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';

const STORE_PING_TIMEOUT_MS = 1000;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  // 200 only while the event store answers; 503 otherwise.
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.eventStore()]);
  }

  private async eventStore() {
    const indicator = this.indicators.check('eventStore');
    try {
      await Promise.race([
        this.store.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), STORE_PING_TIMEOUT_MS).unref()),
      ]);
      return indicator.up();
    } catch {
      return indicator.down({ message: 'the event store does not answer' });
    }
  }
}
