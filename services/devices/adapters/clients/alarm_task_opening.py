"""How an alarm becomes a task, built together: the tasks client, calling as devices' service
account (whose token users issues), and the loop that opens the task of every raised alarm."""

from __future__ import annotations

from dataclasses import dataclass

from chassis.db import Database, Transactions
from chassis.http import DownstreamClient, ServiceAccountToken
from chassis.lifecycle import Component
from devices.adapters.clients.tasks_client import TasksClient
from devices.adapters.sql.work import SqlDeviceWork
from devices.service.alarm_tasks import AlarmTasks
from devices.settings import DevicesSettings


@dataclass(frozen=True)
class AlarmTaskOpening:
    users: DownstreamClient
    tasks: TasksClient
    loop: AlarmTasks

    @property
    def components(self) -> list[Component]:
        """In this order: the loop stops before the clients it calls."""
        return [self.users, self.tasks, self.loop]


def alarm_task_opening(settings: DevicesSettings, database: Database) -> AlarmTaskOpening:
    users = DownstreamClient("users-api", settings.users)
    account = settings.account
    token = ServiceAccountToken.client_credentials(
        users.post, "/v1/auth/token", account.client_id, account.client_secret
    )
    tasks = TasksClient(settings.tasks, token_provider=token)
    alarms = Transactions(database, SqlDeviceWork)
    loop = AlarmTasks(alarms, tasks, retry_interval=settings.alarms.retry_interval)
    return AlarmTaskOpening(users, tasks, loop)
