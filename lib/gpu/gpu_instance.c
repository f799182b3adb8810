/* Vulkan instance (with the validation layer on request), device choice, logical device and
 * compute queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu_internal.h"
#include "weft/weft_vulkan.h"

#define MAX_PHYSICAL_DEVICES 16
#define MAX_QUEUE_FAMILIES 16

const char *gpu_result_string(VkResult r)
{
    switch (r) {
    case VK_SUCCESS:
        return "success";
    case VK_NOT_READY:
        return "not ready";
    case VK_TIMEOUT:
        return "timeout";
    case VK_INCOMPLETE:
        return "incomplete";
    case VK_ERROR_OUT_OF_HOST_MEMORY:
        return "out of host memory";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        return "out of device memory";
    case VK_ERROR_INITIALIZATION_FAILED:
        return "initialization failed";
    case VK_ERROR_DEVICE_LOST:
        return "device lost";
    case VK_ERROR_MEMORY_MAP_FAILED:
        return "memory map failed";
    case VK_ERROR_LAYER_NOT_PRESENT:
        return "layer not present";
    case VK_ERROR_EXTENSION_NOT_PRESENT:
        return "extension not present";
    case VK_ERROR_FEATURE_NOT_PRESENT:
        return "feature not present";
    case VK_ERROR_INCOMPATIBLE_DRIVER:
        return "incompatible driver";
    case VK_ERROR_TOO_MANY_OBJECTS:
        return "too many objects";
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
        return "format not supported";
    case VK_ERROR_FRAGMENTED_POOL:
        return "fragmented pool";
    case VK_ERROR_OUT_OF_POOL_MEMORY:
        return "out of pool memory";
    default:
        return "unknown error";
    }
}

int gpu_check(GpuContext *g, VkResult r, const char *what)
{
    if (r == VK_SUCCESS)
        return 0;
    log_error(g->log, "vulkan: %s failed: %s (%d)", what, gpu_result_string(r), (int)r);
    switch (r) {
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
    case VK_ERROR_TOO_MANY_OBJECTS:
        return -ENOMEM;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_INITIALIZATION_FAILED:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FEATURE_NOT_PRESENT:
        return -ENODEV;
    case VK_ERROR_DEVICE_LOST:
        g->lost = 1;
        return -EIO;
    default:
        return -EIO;
    }
}

static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* The validation layer reports through this; errors are counted so tests can fail on them. */
static VKAPI_ATTR VkBool32 VKAPI_CALL debug_messenger(
    VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
    const VkDebugUtilsMessengerCallbackDataEXT *data, void *opaque)
{
    (void)types;
    GpuContext *g = opaque;
    const char *msg = data && data->pMessage ? data->pMessage : "(no message)";
    if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        g->validation_errors++;
        log_error(g->log, "vulkan validation: %s", msg);
    } else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        log_warn(g->log, "vulkan validation: %s", msg);
    } else {
        log_debug(g->log, "vulkan validation: %s", msg);
    }
    return VK_FALSE;
}

static int has_layer(const char *name)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceLayerProperties(&n, NULL) != VK_SUCCESS || !n)
        return 0;
    VkLayerProperties *layers = calloc(n, sizeof(*layers));
    int found = 0;
    if (layers && vkEnumerateInstanceLayerProperties(&n, layers) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++)
            found = !strcmp(layers[i].layerName, name);
    free(layers);
    return found;
}

static int has_instance_extension(const char *name)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceExtensionProperties(NULL, &n, NULL) != VK_SUCCESS || !n)
        return 0;
    VkExtensionProperties *exts = calloc(n, sizeof(*exts));
    int found = 0;
    if (exts && vkEnumerateInstanceExtensionProperties(NULL, &n, exts) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++)
            found = !strcmp(exts[i].extensionName, name);
    free(exts);
    return found;
}

static int create_instance(GpuContext *g)
{
    /* Ask for Vulkan 1.2 where the loader has it; 1.1 is enough for our SPIR-V 1.3. */
    uint32_t loader_version = VK_API_VERSION_1_1;
    if (vkEnumerateInstanceVersion(&loader_version) != VK_SUCCESS)
        loader_version = VK_API_VERSION_1_1;
    uint32_t api = loader_version >= VK_API_VERSION_1_2 ? VK_API_VERSION_1_2 : VK_API_VERSION_1_1;

    const char *layers[1];
    const char *exts[2];
    uint32_t num_layers = 0, num_exts = 0;
    VkInstanceCreateFlags flags = 0;
    if (env_flag("WEFT_VALIDATION")) {
        if (has_layer("VK_LAYER_KHRONOS_validation") &&
            has_instance_extension(VK_EXT_DEBUG_UTILS_EXTENSION_NAME)) {
            layers[num_layers++] = "VK_LAYER_KHRONOS_validation";
            exts[num_exts++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
            g->validation = 1;
        } else {
            log_warn(g->log, "WEFT_VALIDATION is set but VK_LAYER_KHRONOS_validation or "
                             "VK_EXT_debug_utils is missing; running without validation");
        }
    }
    /* Portability drivers (MoltenVK) are listed only when we say we can handle them. */
    if (has_instance_extension("VK_KHR_portability_enumeration")) {
        exts[num_exts++] = "VK_KHR_portability_enumeration";
        flags |= 0x00000001; /* VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR */
    }

    VkDebugUtilsMessengerCreateInfoEXT messenger_info = {
        .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
        .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
                           VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT,
        .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                       VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
        .pfnUserCallback = debug_messenger,
        .pUserData = g,
    };
    /* Synchronization validation checks our barriers too, not just API usage. */
    VkValidationFeatureEnableEXT enables[] = {
        VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT,
    };
    VkValidationFeaturesEXT features = {
        .sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT,
        .pNext = &messenger_info,
        .enabledValidationFeatureCount = 1,
        .pEnabledValidationFeatures = enables,
    };
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "weft",
        .pEngineName = "weft",
        .apiVersion = api,
    };
    VkInstanceCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pNext = g->validation ? &features : NULL,
        .flags = flags,
        .pApplicationInfo = &app,
        .enabledLayerCount = num_layers,
        .ppEnabledLayerNames = layers,
        .enabledExtensionCount = num_exts,
        .ppEnabledExtensionNames = exts,
    };
    g->api_version = api;
    VkResult r = vkCreateInstance(&info, NULL, &g->instance);
    if (r != VK_SUCCESS) {
        g->instance = VK_NULL_HANDLE;
        log_verbose(g->log, "vulkan: no instance: %s", gpu_result_string(r));
        return -ENODEV;
    }
    if (g->validation) {
        PFN_vkCreateDebugUtilsMessengerEXT create_messenger =
            (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
                g->instance, "vkCreateDebugUtilsMessengerEXT");
        if (!create_messenger ||
            create_messenger(g->instance, &messenger_info, NULL, &g->messenger) != VK_SUCCESS) {
            log_error(g->log, "vulkan: cannot create the validation messenger");
            return -ENODEV;
        }
        log_verbose(g->log, "vulkan: validation layer enabled");
    }
    return 0;
}

/* A queue family that can run compute (and so transfers); prefers a compute-only family. */
static int find_compute_queue(VkPhysicalDevice pd, uint32_t *family, uint32_t *timestamp_bits)
{
    VkQueueFamilyProperties families[MAX_QUEUE_FAMILIES];
    uint32_t n = MAX_QUEUE_FAMILIES;
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, families);
    int best = -1;
    for (uint32_t i = 0; i < n; i++) {
        if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) || !families[i].queueCount)
            continue;
        if (best < 0 || !(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
            best = (int)i;
        if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
            break;
    }
    if (best < 0)
        return -ENODEV;
    *family = (uint32_t)best;
    *timestamp_bits = families[best].timestampValidBits;
    return 0;
}

static int choose_physical_device(GpuContext *g, int index, const char *name_filter)
{
    VkPhysicalDevice devices[MAX_PHYSICAL_DEVICES];
    uint32_t n = MAX_PHYSICAL_DEVICES;
    VkResult r = vkEnumeratePhysicalDevices(g->instance, &n, devices);
    if (r != VK_SUCCESS && r != VK_INCOMPLETE) {
        log_verbose(g->log, "vulkan: cannot list devices: %s", gpu_result_string(r));
        return -ENODEV;
    }
    for (uint32_t i = 0; i < n; i++) {
        VkPhysicalDeviceProperties props;
        vkGetPhysicalDeviceProperties(devices[i], &props);
        uint32_t family = 0, bits = 0;
        int usable = props.apiVersion >= VK_API_VERSION_1_1 &&
                     find_compute_queue(devices[i], &family, &bits) == 0;
        log_verbose(g->log, "vulkan device %u: %s (Vulkan %u.%u)%s", i, props.deviceName,
                    VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion),
                    usable ? "" : ", unusable");
        int wanted = index >= 0 ? (int)i == index
                                : !name_filter || !*name_filter ||
                                      strcasestr(props.deviceName, name_filter) != NULL;
        if (!wanted)
            continue;
        if (!usable) {
            if (index >= 0)
                break;
            continue;
        }
        g->physical = devices[i];
        g->props = props;
        g->queue_family = family;
        g->timestamp_bits = bits;
        vkGetPhysicalDeviceMemoryProperties(devices[i], &g->memory_props);
        return 0;
    }
    if (index >= 0)
        log_verbose(g->log, "vulkan: no usable device %d (%u listed)", index, n);
    else
        log_verbose(g->log, "vulkan: no usable device matches '%s' (%u listed)",
                    name_filter ? name_filter : "", n);
    return -ENODEV;
}

static int has_device_extension(VkPhysicalDevice pd, const char *name)
{
    uint32_t n = 0;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) != VK_SUCCESS || !n)
        return 0;
    VkExtensionProperties *exts = calloc(n, sizeof(*exts));
    int found = 0;
    if (exts && vkEnumerateDeviceExtensionProperties(pd, NULL, &n, exts) == VK_SUCCESS)
        for (uint32_t i = 0; i < n && !found; i++)
            found = !strcmp(exts[i].extensionName, name);
    free(exts);
    return found;
}

/* The first graphics-capable queue family, for libplacebo, which needs one (Debian 12's
 * 4.208 asserts it) even though weft itself only computes. -1 if none. */
static int find_graphics_family(VkPhysicalDevice pd)
{
    VkQueueFamilyProperties families[MAX_QUEUE_FAMILIES];
    uint32_t n = MAX_QUEUE_FAMILIES;
    vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, families);
    for (uint32_t i = 0; i < n; i++)
        if ((families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) && families[i].queueCount)
            return (int)i;
    return -1;
}

static int create_device(GpuContext *g)
{
    const char **exts = g->device_exts;
    uint32_t num_exts = 0;
    /* WEFT_GPU_DESCRIPTOR_POOL=1 takes the path of drivers without push descriptors. */
    int push = has_device_extension(g->physical, VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME) &&
               !env_flag("WEFT_GPU_DESCRIPTOR_POOL");
    if (push)
        exts[num_exts++] = VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME;
    /* A portability driver requires its subset extension to be enabled when it offers it. */
    if (has_device_extension(g->physical, "VK_KHR_portability_subset"))
        exts[num_exts++] = "VK_KHR_portability_subset";
    /* Timeline semaphores: weft does not use them, but libplacebo refuses a device without
     * them (the Vulkan-path picture conversions, lib/placebo). */
    VkPhysicalDeviceTimelineSemaphoreFeatures timeline = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
    };
    if (has_device_extension(g->physical, VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME)) {
        VkPhysicalDeviceFeatures2 query = {
            .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
            .pNext = &timeline,
        };
        vkGetPhysicalDeviceFeatures2(g->physical, &query);
        if (timeline.timelineSemaphore)
            exts[num_exts++] = VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME;
    }
    /* 16-bit storage buffers (core in Vulkan 1.1) let the nn ops keep activations as fp16
     * (half the memory and bandwidth; arithmetic stays fp32). */
    VkPhysicalDevice16BitStorageFeatures storage16 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES,
    };
    if (g->api_version >= VK_API_VERSION_1_1 && g->props.apiVersion >= VK_API_VERSION_1_1) {
        VkPhysicalDeviceFeatures2 query = {
            .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
            .pNext = &storage16,
        };
        vkGetPhysicalDeviceFeatures2(g->physical, &query);
        /* only the feature weft uses is enabled */
        storage16 = (VkPhysicalDevice16BitStorageFeatures){
            .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES,
            .storageBuffer16BitAccess = storage16.storageBuffer16BitAccess,
        };
    }
    g->num_device_exts = num_exts;
    g->timeline_semaphores = timeline.timelineSemaphore;
    g->storage16 = storage16.storageBuffer16BitAccess;
    /* feature chain: the timeline and 16-bit storage structures that are wanted */
    void *features = NULL;
    if (g->storage16) {
        storage16.pNext = features;
        features = &storage16;
    }
    timeline.pNext = NULL;
    if (timeline.timelineSemaphore) {
        timeline.pNext = features;
        features = &timeline;
    }
    float priority = 1.0f;
    VkDeviceQueueCreateInfo queue_infos[2] = {{
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = g->queue_family,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    }};
    uint32_t num_queues = 1;
    int graphics = find_graphics_family(g->physical);
    if (graphics >= 0 && (uint32_t)graphics != g->queue_family)
        queue_infos[num_queues++] = (VkDeviceQueueCreateInfo){
            .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
            .queueFamilyIndex = (uint32_t)graphics,
            .queueCount = 1,
            .pQueuePriorities = &priority,
        };
    g->has_graphics_queue = graphics >= 0;
    g->graphics_family = graphics >= 0 ? (uint32_t)graphics : 0;
    VkDeviceCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = features,
        .queueCreateInfoCount = num_queues,
        .pQueueCreateInfos = queue_infos,
        .enabledExtensionCount = num_exts,
        .ppEnabledExtensionNames = exts,
    };
    VkResult r = vkCreateDevice(g->physical, &info, NULL, &g->device);
    if (r != VK_SUCCESS) {
        g->device = VK_NULL_HANDLE;
        return gpu_check(g, r, "vkCreateDevice");
    }
    vkGetDeviceQueue(g->device, g->queue_family, 0, &g->queue);
    if (push)
        g->push_descriptor_set = (PFN_vkCmdPushDescriptorSetKHR)vkGetDeviceProcAddr(
            g->device, "vkCmdPushDescriptorSetKHR");
    if (!g->push_descriptor_set)
        log_verbose(g->log, "vulkan: no push descriptors; using a descriptor pool");
    return 0;
}

int gpu_instance_create(GpuContext *g, int index, const char *name_filter)
{
    int err = create_instance(g);
    if (err >= 0)
        err = choose_physical_device(g, index, name_filter);
    if (err >= 0)
        err = create_device(g);
    return err;
}

static int extension_listed(const WeftVulkanDevice *vk, const char *name)
{
    for (int i = 0; i < vk->num_enabled_extensions; i++)
        if (!strcmp(vk->enabled_extensions[i], name))
            return 1;
    return 0;
}

static int is_physical_device_of(VkInstance instance, VkPhysicalDevice pd)
{
    VkPhysicalDevice devices[MAX_PHYSICAL_DEVICES];
    uint32_t n = MAX_PHYSICAL_DEVICES;
    VkResult r = vkEnumeratePhysicalDevices(instance, &n, devices);
    if (r != VK_SUCCESS && r != VK_INCOMPLETE)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (devices[i] == pd)
            return 1;
    return 0;
}

int gpu_instance_adopt(GpuContext *g, const WeftVulkanDevice *vk)
{
    CHECK_ARG(g->log, vk->instance != VK_NULL_HANDLE);
    CHECK_ARG(g->log, vk->physical_device != VK_NULL_HANDLE);
    CHECK_ARG(g->log, vk->device != VK_NULL_HANDLE);
    CHECK_ARG(g->log, vk->num_enabled_extensions >= 0);
    CHECK_ARG(g->log, vk->enabled_extensions || vk->num_enabled_extensions == 0);
    for (int i = 0; i < vk->num_enabled_extensions; i++)
        CHECK_ARG(g->log, vk->enabled_extensions[i] != NULL);
    CHECK_ARG(g->log, !vk->lock_queue == !vk->unlock_queue);
    /* Our calls go through the loader we link; handles of another loader would be
     * dispatched through tables we do not know. */
    if (vk->get_instance_proc_addr && vk->get_instance_proc_addr != vkGetInstanceProcAddr) {
        log_error(g->log, "vulkan: the caller's device was made through another Vulkan loader "
                          "(get_instance_proc_addr is not the system loader's); libweft can "
                          "only share devices made through the system loader");
        return -ENOTSUP;
    }
    if (!is_physical_device_of(vk->instance, vk->physical_device)) {
        log_error(g->log, "vulkan: the caller's physical device is not one of its instance's");
        return -EINVAL;
    }
    VkQueueFamilyProperties families[MAX_QUEUE_FAMILIES];
    uint32_t num_families = MAX_QUEUE_FAMILIES;
    vkGetPhysicalDeviceQueueFamilyProperties(vk->physical_device, &num_families, families);
    if (vk->queue_family >= num_families ||
        vk->queue_index >= families[vk->queue_family].queueCount) {
        log_error(g->log, "vulkan: the caller's device has no queue %u of family %u (%u families)",
                  vk->queue_index, vk->queue_family, num_families);
        return -EINVAL;
    }
    vkGetPhysicalDeviceProperties(vk->physical_device, &g->props);
    if (g->props.apiVersion < VK_API_VERSION_1_1) {
        log_error(g->log, "vulkan: the caller's device %s supports Vulkan %u.%u; libweft needs 1.1",
                  g->props.deviceName, VK_API_VERSION_MAJOR(g->props.apiVersion),
                  VK_API_VERSION_MINOR(g->props.apiVersion));
        return -ENOTSUP;
    }
    if (!(families[vk->queue_family].queueFlags & VK_QUEUE_COMPUTE_BIT)) {
        log_error(g->log, "vulkan: queue family %u of the caller's device %s cannot run compute",
                  vk->queue_family, g->props.deviceName);
        return -ENOTSUP;
    }

    g->external = 1;
    g->instance = vk->instance;
    g->physical = vk->physical_device;
    g->device = vk->device;
    g->queue_family = vk->queue_family;
    g->queue_index = vk->queue_index;
    g->timestamp_bits = families[vk->queue_family].timestampValidBits;
    g->lock_queue = vk->lock_queue;
    g->unlock_queue = vk->unlock_queue;
    g->lock_opaque = vk->lock_opaque;
    vkGetPhysicalDeviceMemoryProperties(g->physical, &g->memory_props);
    vkGetDeviceQueue(g->device, g->queue_family, g->queue_index, &g->queue);
    /* an extension may only be used when the caller enabled it on its device */
    if (extension_listed(vk, VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME) &&
        !env_flag("WEFT_GPU_DESCRIPTOR_POOL"))
        g->push_descriptor_set = (PFN_vkCmdPushDescriptorSetKHR)vkGetDeviceProcAddr(
            g->device, "vkCmdPushDescriptorSetKHR");
    if (!g->push_descriptor_set)
        log_verbose(g->log, "vulkan: no push descriptors; using a descriptor pool");
    return 0;
}

void gpu_instance_destroy(GpuContext *g)
{
    if (g->external) {
        /* the caller's: only forget them */
        g->device = VK_NULL_HANDLE;
        g->instance = VK_NULL_HANDLE;
        return;
    }
    if (g->device)
        vkDestroyDevice(g->device, NULL);
    g->device = VK_NULL_HANDLE;
    if (g->messenger) {
        PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger =
            (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
                g->instance, "vkDestroyDebugUtilsMessengerEXT");
        if (destroy_messenger)
            destroy_messenger(g->instance, g->messenger, NULL);
        g->messenger = VK_NULL_HANDLE;
    }
    if (g->instance)
        vkDestroyInstance(g->instance, NULL);
    g->instance = VK_NULL_HANDLE;
}
