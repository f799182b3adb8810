/* weft_open_vulkan(): the library on a device the caller made (as FFmpeg's Vulkan frames
 * bring one). Checks every misuse of the entry point (-EINVAL / -ENOTSUP, logged, nothing
 * done to the device), that an in-between made on the caller's device equals the one made
 * on a device the library opens itself, that submissions happen inside the caller's queue
 * lock, and that the caller's device is left alive and usable after weft_close().
 * Exits 77 when the machine has no Vulkan device (lavapipe counts). */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "log_capture.h"
#include "weft/weft.h"
#include "weft/weft_vulkan.h"

typedef struct QueueLock {
    int locks, unlocks, nested;
    uint32_t family, index;
    int wrong_queue;
} QueueLock;

static void lock_queue(void *opaque, uint32_t family, uint32_t index)
{
    QueueLock *l = opaque;
    if (l->locks != l->unlocks)
        l->nested++;
    l->locks++;
    l->wrong_queue += family != l->family || index != l->index;
}

static void unlock_queue(void *opaque, uint32_t family, uint32_t index)
{
    QueueLock *l = opaque;
    l->unlocks++;
    l->wrong_queue += family != l->family || index != l->index;
}

/* Stands for the vkGetInstanceProcAddr of a loader other than the system's. */
static PFN_vkVoidFunction VKAPI_CALL other_loader(VkInstance instance, const char *name)
{
    (void)instance;
    (void)name;
    return NULL;
}

typedef struct CallerDevice {
    VkInstance instance;
    VkPhysicalDevice physical;
    VkDevice device;
    uint32_t family;
    uint32_t num_families;
} CallerDevice;

/* What an application does before it hands its device over: an instance, the first
 * physical device, a device with one queue of a compute family. 0, or -1 for none. */
static int make_caller_device(CallerDevice *cd)
{
    VkApplicationInfo app = {.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
                             .apiVersion = VK_API_VERSION_1_1};
    VkInstanceCreateInfo info = {.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
                                 .pApplicationInfo = &app};
    if (vkCreateInstance(&info, NULL, &cd->instance) != VK_SUCCESS)
        return -1;
    uint32_t n = 1;
    VkResult r = vkEnumeratePhysicalDevices(cd->instance, &n, &cd->physical);
    if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || n == 0)
        return -1;
    VkQueueFamilyProperties families[16];
    cd->num_families = 16;
    vkGetPhysicalDeviceQueueFamilyProperties(cd->physical, &cd->num_families, families);
    cd->family = UINT32_MAX;
    for (uint32_t i = 0; i < cd->num_families && cd->family == UINT32_MAX; i++)
        if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)
            cd->family = i;
    if (cd->family == UINT32_MAX)
        return -1;
    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue = {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
                                     .queueFamilyIndex = cd->family,
                                     .queueCount = 1,
                                     .pQueuePriorities = &priority};
    VkDeviceCreateInfo dev_info = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                                   .queueCreateInfoCount = 1,
                                   .pQueueCreateInfos = &queue};
    return vkCreateDevice(cd->physical, &dev_info, NULL, &cd->device) == VK_SUCCESS ? 0 : -1;
}

/* Two 70x46 yuv420p pictures: a bright square that moves 3 px right and 2 px down. */
static void make_pictures(WeftPicture *a, WeftPicture *b)
{
    WeftPicture *p[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        CHECK(weft_picture_alloc(p[k], 70, 46, WEFT_PIX_YUV420P) == 0);
        for (int y = 0; y < 46; y++)
            for (int x = 0; x < 70; x++) {
                int inside = x >= 20 + 3 * k && x < 36 + 3 * k && y >= 12 + 2 * k && y < 26 + 2 * k;
                p[k]->data[0][y * p[k]->stride[0] + x] = (uint8_t)(inside ? 220 : 40 + (x + y) % 32);
            }
        for (int plane = 1; plane < 3; plane++)
            for (int y = 0; y < 23; y++)
                memset(p[k]->data[plane] + y * p[k]->stride[plane], 128 + plane, 35);
    }
}

static int same_picture(const WeftPicture *a, const WeftPicture *b)
{
    if (a->width != b->width || a->height != b->height || a->format != b->format)
        return 0;
    for (int plane = 0; plane < 3; plane++) {
        int w = plane ? (a->width + 1) / 2 : a->width, h = plane ? (a->height + 1) / 2 : a->height;
        for (int y = 0; y < h; y++)
            if (memcmp(a->data[plane] + y * a->stride[plane], b->data[plane] + y * b->stride[plane],
                       (size_t)w))
                return 0;
    }
    return 1;
}

/* Each misuse returns `expected`, logs an error and leaves *out NULL. */
static void expect_refused(const char *what, const WeftSettings *s, const WeftVulkanDevice *vk,
                           int expected, LogCapture *capture)
{
    WeftContext *c = (WeftContext *)capture; /* must come back NULL */
    int errors = capture->errors;
    int err = weft_open_vulkan(&c, s, vk);
    CHECK_MSG(err == expected, "%s: returned %d, expected %d", what, err, expected);
    CHECK_MSG(c == NULL, "%s: *out not cleared", what);
    CHECK_MSG(capture->errors > errors, "%s: nothing logged", what);
    weft_close(&c);
}

static void test_misuse(const CallerDevice *cd, const WeftSettings *s, LogCapture *capture)
{
    const WeftVulkanDevice good = {.instance = cd->instance,
                                   .physical_device = cd->physical,
                                   .device = cd->device,
                                   .queue_family = cd->family};
    WeftContext *c = (WeftContext *)capture;
    CHECK(weft_open_vulkan(NULL, s, &good) == -EINVAL);
    CHECK(weft_open_vulkan(&c, NULL, &good) == -EINVAL);
    CHECK(c == NULL);
    expect_refused("vk NULL", s, NULL, -EINVAL, capture);

    static const char *const ext_with_null[] = {"VK_KHR_push_descriptor", NULL};
    WeftVulkanDevice bad;
    bad = good, bad.instance = VK_NULL_HANDLE;
    expect_refused("no instance", s, &bad, -EINVAL, capture);
    bad = good, bad.physical_device = VK_NULL_HANDLE;
    expect_refused("no physical device", s, &bad, -EINVAL, capture);
    bad = good, bad.device = VK_NULL_HANDLE;
    expect_refused("no device", s, &bad, -EINVAL, capture);
    bad = good, bad.num_enabled_extensions = -1;
    expect_refused("negative extension count", s, &bad, -EINVAL, capture);
    bad = good, bad.num_enabled_extensions = 2;
    expect_refused("extension count without a list", s, &bad, -EINVAL, capture);
    bad = good, bad.enabled_extensions = ext_with_null, bad.num_enabled_extensions = 2;
    expect_refused("NULL extension name", s, &bad, -EINVAL, capture);
    bad = good, bad.lock_queue = lock_queue;
    expect_refused("lock without unlock", s, &bad, -EINVAL, capture);
    bad = good, bad.unlock_queue = unlock_queue;
    expect_refused("unlock without lock", s, &bad, -EINVAL, capture);
    bad = good, bad.queue_family = cd->num_families;
    expect_refused("queue family out of range", s, &bad, -EINVAL, capture);
    bad = good, bad.queue_family = UINT32_MAX;
    expect_refused("queue family UINT32_MAX", s, &bad, -EINVAL, capture);
    bad = good, bad.queue_index = 1u << 20;
    expect_refused("queue index out of range", s, &bad, -EINVAL, capture);
    bad = good, bad.get_instance_proc_addr = other_loader;
    expect_refused("another loader", s, &bad, -ENOTSUP, capture);
    /* bad settings are refused as by weft_open, before the device is looked at */
    WeftSettings bad_settings = *s;
    bad_settings.factor = 0;
    expect_refused("bad settings", &bad_settings, &good, -EINVAL, capture);
}

int main(void)
{
    CallerDevice cd = {0};
    if (make_caller_device(&cd) < 0) {
        printf("skipped: no Vulkan device\n");
        if (cd.instance)
            vkDestroyInstance(cd.instance, NULL);
        return 77;
    }
    LogCapture capture = {.match = "the caller's device, shared"};
    WeftSettings s;
    weft_default_settings(&s);
    s.log = capture_log;
    s.log_opaque = &capture;
    s.log_level = WEFT_LOG_VERBOSE;
    test_misuse(&cd, &s, &capture);

    WeftPicture a = {0}, b = {0}, own_out = {0}, shared_out = {0};
    make_pictures(&a, &b);

    /* the reference: a device the library makes itself (the same physical device first) */
    WeftContext *c = NULL;
    s.device = 0;
    CHECK(weft_open(&c, &s) == 0);
    CHECK(capture.matches == 0);
    CHECK(c && weft_interpolate(c, &a, &b, 0.5, &own_out) == 0);
    weft_close(&c);

    /* the caller's device, with its queue lock */
    QueueLock lock = {.family = cd.family, .index = 0};
    static const char *const no_extensions[1] = {""};
    WeftVulkanDevice vk = {.instance = cd.instance,
                           .physical_device = cd.physical,
                           .device = cd.device,
                           .get_instance_proc_addr = vkGetInstanceProcAddr,
                           .queue_family = cd.family,
                           .queue_index = 0,
                           .enabled_extensions = no_extensions,
                           .num_enabled_extensions = 0,
                           .lock_queue = lock_queue,
                           .unlock_queue = unlock_queue,
                           .lock_opaque = &lock};
    s.device = WEFT_DEVICE_CPU; /* not used by weft_open_vulkan */
    int err = weft_open_vulkan(&c, &s, &vk);
    CHECK_MSG(err == 0, "weft_open_vulkan: %s (%s)", weft_strerror(err), capture.last);
    CHECK(capture.matches == 1);
    if (c) {
        CHECK(strcmp(weft_device_name(c), "cpu") != 0);
        CHECK(weft_interpolate(c, &a, &b, 0.5, &shared_out) == 0);
        CHECK_MSG(same_picture(&own_out, &shared_out),
                  "the in-between on the caller's device differs from the library's own");
        weft_close(&c);
    }
    CHECK_MSG(lock.locks > 0 && lock.locks == lock.unlocks, "locks %d, unlocks %d", lock.locks,
              lock.unlocks);
    CHECK(lock.nested == 0);
    CHECK(lock.wrong_queue == 0);

    /* the device is still the caller's and still works */
    CHECK(vkDeviceWaitIdle(cd.device) == VK_SUCCESS);
    VkBufferCreateInfo buffer_info = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                                      .size = 256,
                                      .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT};
    VkBuffer buffer = VK_NULL_HANDLE;
    CHECK(vkCreateBuffer(cd.device, &buffer_info, NULL, &buffer) == VK_SUCCESS);
    vkDestroyBuffer(cd.device, buffer, NULL);

    weft_picture_unref(&a);
    weft_picture_unref(&b);
    weft_picture_unref(&own_out);
    weft_picture_unref(&shared_out);
    vkDestroyDevice(cd.device, NULL);
    vkDestroyInstance(cd.instance, NULL);
    return check_result("test_vulkan_device");
}
