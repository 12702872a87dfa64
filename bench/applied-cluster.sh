#!/usr/bin/env bash
# N LoadBalancer Services and their EndpointSlices (3 endpoints each) as YAML, each object as
# `kubectl apply` and the cluster leave it: the whole manifest again in the
# last-applied-configuration annotation, managedFields entries from the client and from the
# controller that set the status, and that status.
#   bench/applied-cluster.sh N
set -euo pipefail
n=${1:?usage: bench/applied-cluster.sh N}
  awk -v n="$n" '
    function applied(kind, api, name, ns, body) {
      return "{\"apiVersion\":\"" api "\",\"kind\":\"" kind "\",\"metadata\":{\"annotations\":{},\"name\":\"" name "\",\"namespace\":\"" ns "\"}," body "}"
    }
    BEGIN {
      for (i = 0; i < n; i++) {
        ns = "ns" (i % 50); svc = "svc" i; net = "10." int(i / 256) % 256 "." (i % 256)
        print "---"
        print "apiVersion: v1"
        print "kind: Service"
        print "metadata:"
        print "  name: " svc
        print "  namespace: " ns
        print "  labels: {app.kubernetes.io/name: " svc ", app.kubernetes.io/part-of: shop}"
        print "  annotations:"
        print "    kubectl.kubernetes.io/last-applied-configuration: |"
        print "      " applied("Service", "v1", svc, ns, "\"spec\":{\"loadBalancerClass\":\"minilb\",\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\",\"targetPort\":8080}],\"selector\":{\"app.kubernetes.io/name\":\"" svc "\"},\"type\":\"LoadBalancer\"}")
        print "  managedFields:"
        print "  - {manager: kubectl-client-side-apply, operation: Update, apiVersion: v1, time: \"2026-01-01T00:00:00Z\", fieldsType: FieldsV1,"
        print "     fieldsV1: {\"f:metadata\": {\"f:annotations\": {\".\": {}, \"f:kubectl.kubernetes.io/last-applied-configuration\": {}}, \"f:labels\": {\".\": {}, \"f:app.kubernetes.io/name\": {}, \"f:app.kubernetes.io/part-of\": {}}},"
        print "       \"f:spec\": {\"f:allocateLoadBalancerNodePorts\": {}, \"f:externalTrafficPolicy\": {}, \"f:internalTrafficPolicy\": {}, \"f:loadBalancerClass\": {}, \"f:ports\": {\".\": {}, \"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\": {\".\": {}, \"f:name\": {}, \"f:port\": {}, \"f:protocol\": {}, \"f:targetPort\": {}}}, \"f:selector\": {}, \"f:sessionAffinity\": {}, \"f:type\": {}}}}"
        print "  - {manager: minilb, operation: Update, apiVersion: v1, subresource: status, time: \"2026-01-01T00:00:01Z\", fieldsType: FieldsV1,"
        print "     fieldsV1: {\"f:status\": {\"f:loadBalancer\": {\"f:ingress\": {}}}}}"
        print "spec:"
        print "  type: LoadBalancer"
        print "  loadBalancerClass: minilb"
        print "  selector: {app.kubernetes.io/name: " svc "}"
        print "  ports: [{name: http, port: 80, protocol: TCP, targetPort: 8080}]"
        print "  clusterIP: 10.96." int(i / 256) % 256 "." (i % 256)
        print "  clusterIPs: [10.96." int(i / 256) % 256 "." (i % 256) "]"
        print "  ipFamilies: [IPv4]"
        print "  ipFamilyPolicy: SingleStack"
        print "  sessionAffinity: None"
        print "  externalTrafficPolicy: Cluster"
        print "  internalTrafficPolicy: Cluster"
        print "  allocateLoadBalancerNodePorts: true"
        print "status: {loadBalancer: {ingress: [{hostname: " svc "." ns ".minilb}]}}"
        print "---"
        print "apiVersion: discovery.k8s.io/v1"
        print "kind: EndpointSlice"
        print "metadata:"
        print "  name: " svc "-x7k2p"
        print "  namespace: " ns
        print "  generateName: " svc "-"
        print "  labels: {kubernetes.io/service-name: " svc ", endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io, app.kubernetes.io/name: " svc "}"
        print "  annotations: {endpoints.kubernetes.io/last-change-trigger-time: \"2026-01-01T00:00:00Z\"}"
        print "  ownerReferences: [{apiVersion: v1, kind: Service, name: " svc ", uid: 00000000-0000-0000-0000-" sprintf("%012d", i) ", controller: true, blockOwnerDeletion: true}]"
        print "  managedFields:"
        print "  - {manager: kube-controller-manager, operation: Update, apiVersion: discovery.k8s.io/v1, time: \"2026-01-01T00:00:00Z\", fieldsType: FieldsV1,"
        print "     fieldsV1: {\"f:addressType\": {}, \"f:endpoints\": {}, \"f:metadata\": {\"f:annotations\": {\".\": {}, \"f:endpoints.kubernetes.io/last-change-trigger-time\": {}}, \"f:generateName\": {}, \"f:labels\": {\".\": {}, \"f:endpointslice.kubernetes.io/managed-by\": {}, \"f:kubernetes.io/service-name\": {}}, \"f:ownerReferences\": {\".\": {}, \"k:{\\\"uid\\\":\\\"00000000\\\"}\": {}}}, \"f:ports\": {}}}"
        print "addressType: IPv4"
        print "ports: [{name: http, port: 8080, protocol: TCP}]"
        print "endpoints:"
        for (j = 1; j <= 3; j++) {
          print "- addresses: [" net "." j "]"
          print "  conditions: {ready: true, serving: true, terminating: false}"
          print "  nodeName: node-" (i + j) % 20
          print "  zone: zone-" (i + j) % 3
          print "  targetRef: {kind: Pod, name: " svc "-7d9f8b6c4-" j "abcd, namespace: " ns ", uid: 00000000-0000-0000-0001-" sprintf("%012d", i * 3 + j) "}"
        }
      }
    }'
