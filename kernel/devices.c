/* Device discovery: probe the drivers for every device the firmware
 * described. Runs with the scheduler and interrupts up, because probing a
 * disk already sends it a request and waits for the answer. */
#include "kernel/devices.h"

#include <string.h>

#include "arch.h"
#include "kernel/printk.h"
#include "pci/pci.h"
#include "rtc/goldfish_rtc.h"
#include "virtio/virtio_mmio.h"

void devices_init(const struct boot_info *bi)
{
	for (int i = 0; i < bi->ndevices; i++) {
		const struct platform_device *d = &bi->devices[i];
		if (strcmp(d->compatible, "virtio,mmio") == 0)
			virtio_mmio_probe(d->base, d->size, d->irq);
		else if (strcmp(d->compatible, "google,goldfish-rtc") == 0)
			goldfish_rtc_probe(d->base, d->size);
	}
	pci_init();
}
