"""Kernel management for the apps: idle kernels are culled, but never the preheated ones waiting in the pool."""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class AppKernelManager(AsyncMappingKernelManager):
    """Voila wraps this class with its preheating pool. Culling must skip pool kernels: Voila does not refill a
    pool whose kernel was shut down, so culling them would silently turn preheating off."""

    def _pooled_kernel_ids(self) -> set[str]:
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result().get("kernel_id"))
        return ids

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self._pooled_kernel_ids():
            return
        await super().cull_kernel_if_idle(kernel_id)
