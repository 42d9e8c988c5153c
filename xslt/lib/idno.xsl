<?xml version="1.0" encoding="UTF-8"?>
<!--
  External authority identifiers of an entry (idno[@type] in the authority files): the
  documented forms and the address of each record. An identifier not in its documented form
  is kept, without an address: a wrong link is worse than none.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- type: (label, form of the identifier, address before it). The forms are those the
       schema's Schematron checks (schema/serge-tei.sch, pattern idno-form). -->
  <xsl:variable name="st:idno-types" as="map(xs:string, xs:string+)" select="map{
      'wikidata': ('Wikidata', '^Q[1-9][0-9]*$', 'https://www.wikidata.org/wiki/'),
      'viaf': ('VIAF', '^[1-9][0-9]{0,21}$', 'https://viaf.org/viaf/'),
      'gnd': ('GND', '^(1[0123]?[0-9]{7}[0-9X]|[47][0-9]{6}-[0-9]|[1-9][0-9]{0,7}-[0-9X]|3[0-9]{7}[0-9X])$',
          'https://d-nb.info/gnd/'),
      'geonames': ('GeoNames', '^[1-9][0-9]*$', 'https://www.geonames.org/'),
      'lccn': ('LC', '^(n|nb|nr|no|ns|sh|sj|sn|sp|gf|dg|mp)([4-9][0-9]|00|20[0-9][0-9])[0-9]{6}$',
          'https://id.loc.gov/authorities/')}"/>

  <!-- The Library of Congress's authority files, by the prefix of the number. -->
  <xsl:function name="st:lc-file" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if (matches($id, '^s[hj]')) then 'subjects/'
        else if (starts-with($id, 'gf')) then 'genreForms/' else 'names/'"/>
  </xsl:function>

  <!-- The identifiers of an entity, as st:idno elements (type, id, label and href when valid). -->
  <xsl:function name="st:identifiers" as="element(st:idno)*">
    <xsl:param name="entity" as="element()?"/>
    <xsl:for-each select="$entity/tei:idno[map:contains($st:idno-types, lower-case(@type))]"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map">
      <xsl:variable name="type" select="lower-case(@type)"/>
      <xsl:variable name="spec" select="$st:idno-types($type)"/>
      <!-- A record's address is accepted too: its last segment is the identifier. -->
      <xsl:variable name="id" select="replace(normalize-space(), '^https?://.*/', '')"/>
      <st:idno type="{$type}" id="{$id}" label="{$spec[1]}">
        <xsl:if test="matches($id, $spec[2])">
          <xsl:attribute name="href" select="$spec[3] || (if ($type = 'lccn') then st:lc-file($id)
              else '') || $id"/>
        </xsl:if>
      </st:idno>
    </xsl:for-each>
  </xsl:function>

</xsl:stylesheet>
