#ifndef KERNEL_DEVICES_H
#define KERNEL_DEVICES_H

struct boot_info;

/* Probes every device the firmware described and every PCI device. */
void devices_init(const struct boot_info *bi);

#endif
