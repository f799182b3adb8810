/* Fuzz target: weft_open_vulkan()'s checks of a caller's device description, on a real
 * device (lavapipe in CI) that this target makes once, as an application would. Nothing
 * happens when the machine has no Vulkan device. Input: byte 0 flags (handles left NULL,
 * lock and unlock callbacks given, another loader's vkGetInstanceProcAddr, the system's, no
 * extension list), bytes 1-4 and 5-8 the queue family and index (little-endian), byte 9 the
 * extension count (signed), the rest extension names separated by newlines. Inputs stay
 * inside the documented contract where it cannot be checked (a family the device was not
 * made with is replaced by the one it was; the count never exceeds the names given).
 * Properties: the result is 0, -EINVAL or -ENOTSUP; it is 0 exactly when the description is
 * valid; *out is NULL on error; the caller's device is alive and usable afterwards. */
#include <errno.h>
#include <string.h>

#include "fuzz_target.h"
#include "weft/weft.h"
#include "weft/weft_vulkan.h"

#define MAX_NAMES 8

static VkInstance instance;
static VkPhysicalDevice physical;
static VkDevice device;
static uint32_t compute_family, num_families, queue_count;
static int setup_done, have_device;

static void setup(void)
{
    setup_done = 1;
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .apiVersion = VK_API_VERSION_1_1};
    VkInstanceCreateInfo info = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                                 .pApplicationInfo = &app};
    if (vkCreateInstance(&info, NULL, &instance) != VK_SUCCESS)
        return;
    uint32_t n = 1;
    VkResult r = vkEnumeratePhysicalDevices(instance, &n, &physical);
    if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || !n)
        return;
    VkQueueFamilyProperties families[16];
    num_families = 16;
    vkGetPhysicalDeviceQueueFamilyProperties(physical, &num_families, families);
    compute_family = UINT32_MAX;
    for (uint32_t i = 0; i < num_families && compute_family == UINT32_MAX; i++)
        if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)
            compute_family = i;
    if (compute_family == UINT32_MAX)
        return;
    /* every queue of the family, so any index below its count is one the device has */
    queue_count = families[compute_family].queueCount;
    float priorities[64];
    if (queue_count > 64)
        queue_count = 64;
    for (uint32_t i = 0; i < queue_count; i++)
        priorities[i] = 1.0f;
    VkDeviceQueueCreateInfo queue = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                     .queueFamilyIndex = compute_family,
                                     .queueCount = queue_count,
                                     .pQueuePriorities = priorities};
    VkDeviceCreateInfo dev_info = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                                   .queueCreateInfoCount = 1,
                                   .pQueueCreateInfos = &queue};
    have_device = vkCreateDevice(physical, &dev_info, NULL, &device) == VK_SUCCESS;
}

static void lock_queue(void *opaque, uint32_t family, uint32_t index)
{
    (void)opaque, (void)family, (void)index;
}

static PFN_vkVoidFunction VKAPI_CALL other_loader(VkInstance inst, const char *name)
{
    (void)inst, (void)name;
    return NULL;
}

static void quiet(void *opaque, int level, const char *msg)
{
    (void)opaque, (void)level, (void)msg;
}

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!setup_done)
        setup();
    if (!have_device || size < 10)
        return 0;
    uint8_t flags = data[0];
    WeftVulkanDevice vk = {
        .instance = flags & 1 ? VK_NULL_HANDLE : instance,
        .physical_device = flags & 2 ? VK_NULL_HANDLE : physical,
        .device = flags & 4 ? VK_NULL_HANDLE : device,
        .lock_queue = flags & 8 ? lock_queue : NULL,
        .unlock_queue = flags & 16 ? lock_queue : NULL,
        .get_instance_proc_addr = flags & 32 ? other_loader : flags & 64 ? vkGetInstanceProcAddr
                                                                         : NULL,
        .queue_family = read_u32(data + 1),
        .queue_index = read_u32(data + 5),
    };
    if (vk.queue_family < num_families)
        vk.queue_family = compute_family;

    /* extension names from the rest of the input */
    char text[512];
    size_t len = size - 10 < sizeof(text) - 1 ? size - 10 : sizeof(text) - 1;
    memcpy(text, data + 10, len);
    text[len] = 0;
    const char *names[MAX_NAMES];
    int num_names = 0;
    for (char *p = text; num_names < MAX_NAMES;) {
        names[num_names++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = 0;
        p = nl + 1;
    }
    int count = (int8_t)data[9];
    if (count > num_names)
        count = num_names;
    vk.num_enabled_extensions = count;
    vk.enabled_extensions = flags & 128 ? NULL : names;

    int valid = vk.instance && vk.physical_device && vk.device && !vk.lock_queue == !vk.unlock_queue &&
                count >= 0 && (vk.enabled_extensions || count == 0) &&
                vk.get_instance_proc_addr != other_loader && vk.queue_family == compute_family &&
                vk.queue_index < queue_count;

    WeftSettings s;
    weft_default_settings(&s);
    s.log = quiet;
    WeftContext *c = (WeftContext *)&s;
    int err = weft_open_vulkan(&c, &s, &vk);
    FUZZ_ASSERT(err == 0 || err == -EINVAL || err == -ENOTSUP);
    FUZZ_ASSERT((err == 0) == valid);
    FUZZ_ASSERT(err == 0 ? c != NULL : c == NULL);
    weft_close(&c);
    FUZZ_ASSERT(vkDeviceWaitIdle(device) == VK_SUCCESS);
    return 0;
}
